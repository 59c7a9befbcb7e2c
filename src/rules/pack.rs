//! TEMPORARY stub until the rule pack lands.
use super::phrases::PhraseBook;
#[derive(Debug)]
pub struct RulePack { pub name: String, pub version: String, pub sha256: String, pub phrases: PhraseBook }
#[derive(Debug, thiserror::Error)]
pub enum RulePackError { #[error("The rule pack is not valid: {0}")] Invalid(String) }
impl RulePack {
    pub fn builtin() -> RulePack { RulePack { name: "candor-default".into(), version: "0".into(), sha256: "0".repeat(64), phrases: PhraseBook } }
    pub fn from_toml(_src: &str) -> Result<RulePack, RulePackError> { Ok(Self::builtin()) }
}
