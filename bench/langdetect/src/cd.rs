mod common;
fn main() {
    let msgs = common::messages();
    let pack = candor::rules::pack::RulePack::builtin();
    let det = &pack.detector;
    common::report("candor detect_language (pack vote, then whatlang)", &msgs, &mut |t| det.detect_language(t));
}
