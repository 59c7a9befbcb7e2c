mod common;
use lingua::{Language::*, LanguageDetectorBuilder};
fn main() {
    let msgs = common::messages();
    let code = |l: lingua::Language| match l { English=>"en", German=>"de", French=>"fr", Spanish=>"es", Italian=>"it", Dutch=>"nl", Portuguese=>"pt", Swedish=>"sv" }.to_string();
    let t0 = std::time::Instant::now();
    let det = LanguageDetectorBuilder::from_languages(&[English, German, French, Spanish, Italian, Dutch, Portuguese, Swedish]).with_preloaded_language_models().build();
    println!("lingua: models loaded in {:.2} s", t0.elapsed().as_secs_f64());
    common::report("lingua (8 languages, high accuracy)", &msgs, &mut |t| det.detect_language_of(t).map(code));
    let low = LanguageDetectorBuilder::from_languages(&[English, German, French, Spanish, Italian, Dutch, Portuguese, Swedish]).with_low_accuracy_mode().with_preloaded_language_models().build();
    common::report("lingua (8 languages, low accuracy mode)", &msgs, &mut |t| low.detect_language_of(t).map(code));
}
