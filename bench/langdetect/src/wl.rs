mod common;
fn main() {
    let msgs = common::messages();
    use whatlang::Lang::*;
    let det = whatlang::Detector::with_allowlist(vec![Eng, Deu, Fra, Spa, Ita, Nld, Por, Swe]);
    let code = |l: whatlang::Lang| match l { Eng=>"en", Deu=>"de", Fra=>"fr", Spa=>"es", Ita=>"it", Nld=>"nl", Por=>"pt", Swe=>"sv", _=>"?" }.to_string();
    common::report("whatlang (8-language allowlist)", &msgs, &mut |t| det.detect_lang(t).map(code));
    common::report("whatlang (all languages)", &msgs, &mut |t| whatlang::detect_lang(t).map(|l| match l { Eng=>"en", Deu=>"de", Fra=>"fr", Spa=>"es", Ita=>"it", Nld=>"nl", Por=>"pt", Swe=>"sv", _=>"?" }.to_string()));
}
