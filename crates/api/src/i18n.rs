//! The caller's language (English or French, by `Accept-Language`); problems carry their texts
//! in both (see `service::problem`).

use actix_web::http::header::HeaderMap;
use service::Problem;

/// A language the API answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// The caller's preferred language among English and French (English when neither is asked
    /// for), honouring `q` weights: `fr-CA,fr;q=0.9,en;q=0.8` gives French.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let Some(value) = headers
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
        else {
            return Lang::En;
        };
        let mut best: Option<(f32, Lang)> = None;
        for part in value.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag == "fr" || tag.starts_with("fr-") {
                Lang::Fr
            } else if tag == "en" || tag.starts_with("en-") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, lang)| lang)
    }
}

impl Lang {
    /// The `detail` of `problem` in this language.
    pub fn detail(self, problem: &Problem) -> &'static str {
        match self {
            Lang::En => problem.en,
            Lang::Fr => problem.fr,
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{ACCEPT_LANGUAGE, HeaderValue};

    use super::*;

    fn lang(value: &str) -> Lang {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_str(value).unwrap());
        Lang::from_headers(&headers)
    }

    #[test]
    fn picks_the_highest_weighted_supported_language() {
        assert_eq!(lang("fr-CA,fr;q=0.9,en;q=0.8"), Lang::Fr);
        assert_eq!(lang("en-CA,fr;q=0.5"), Lang::En);
        assert_eq!(lang("de,fr;q=0.3"), Lang::Fr);
        assert_eq!(lang("de"), Lang::En);
        assert_eq!(lang("en;q=0.2,fr;q=0.9"), Lang::Fr);
    }
}
