//! The only module that touches the YAML crate. `serde_yaml` is deprecated upstream;
//! swapping it means changing this file alone.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A YAML document that could not be read, with where it went wrong.
#[derive(Debug, thiserror::Error)]
#[error("{}{message}", location.map(|(l, c)| format!("line {l}, column {c}: ")).unwrap_or_default())]
pub struct YamlError {
    /// 1-based line and column, when the parser knows them.
    pub location: Option<(usize, usize)>,
    /// The parser's message; for unknown or missing fields it names the field.
    pub message: String,
}

pub fn to_string<T: Serialize>(value: &T) -> String {
    // Serialising our own plain data types cannot fail (no maps with non-string keys).
    serde_yaml::to_string(value).expect("report types serialise to YAML")
}

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| YamlError {
        location: e.location().map(|l| (l.line(), l.column())),
        message: e.to_string().split(" at line ").next().unwrap_or_default().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, Serialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        name: String,
        size: u32,
    }

    #[test]
    fn errors_name_line_and_field() {
        let err = from_str::<Doc>("name: a\nsize: 1\ncolour: red\n").unwrap_err();
        assert_eq!(err.location.map(|l| l.0), Some(3));
        assert!(err.message.contains("unknown field `colour`"), "{}", err.message);
        let err = from_str::<Doc>("name: a\nsize: big\n").unwrap_err();
        assert_eq!(err.location.map(|l| l.0), Some(2));
        let doc = Doc {
            name: "x: $(y)\n".into(),
            size: 3,
        };
        assert_eq!(from_str::<Doc>(&to_string(&doc)).unwrap(), doc);
    }
}
