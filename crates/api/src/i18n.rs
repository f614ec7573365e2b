//! English and French texts of the problem `detail`s, chosen by `Accept-Language`.

use actix_web::http::header::HeaderMap;

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

/// Problem codes shared by every domain: (code, English, French).
pub const COMMON: &[(&str, &str, &str)] = &[
    (
        "route_not_found",
        "No resource exists at this address.",
        "Aucune ressource n'existe à cette adresse.",
    ),
    (
        "not_found",
        "The resource does not exist or is not visible to you.",
        "La ressource n'existe pas ou ne vous est pas accessible.",
    ),
    (
        "method_not_allowed",
        "This resource does not support this HTTP method.",
        "Cette ressource ne prend pas en charge cette méthode HTTP.",
    ),
    (
        "payload_too_large",
        "The request body is too large.",
        "Le corps de la requête est trop volumineux.",
    ),
    (
        "malformed_json",
        "The request body is not valid JSON.",
        "Le corps de la requête n'est pas du JSON valide.",
    ),
    (
        "unsupported_media_type",
        "Send the body as application/json.",
        "Envoyez le corps en application/json.",
    ),
    (
        "invalid_query",
        "The query string is invalid.",
        "La chaîne de requête est invalide.",
    ),
    (
        "validation_failed",
        "Some fields are invalid.",
        "Certains champs sont invalides.",
    ),
    (
        "unauthenticated",
        "Authentication is required.",
        "Une authentification est requise.",
    ),
    (
        "forbidden",
        "You are not allowed to do this.",
        "Vous n'êtes pas autorisé à effectuer cette action.",
    ),
    (
        "rate_limited",
        "Too many requests; try again later.",
        "Trop de requêtes ; réessayez plus tard.",
    ),
    (
        "database_unavailable",
        "The service is temporarily unavailable; try again shortly.",
        "Le service est temporairement indisponible ; réessayez sous peu.",
    ),
    (
        "dependency_unavailable",
        "A dependent service is unavailable; try again later.",
        "Un service dépendant est indisponible ; réessayez plus tard.",
    ),
    (
        "service_unavailable",
        "The service is temporarily unavailable.",
        "Le service est temporairement indisponible.",
    ),
    (
        "payment_required",
        "This content must be purchased first.",
        "Ce contenu doit d'abord être acheté.",
    ),
    (
        "precondition_failed",
        "The resource changed since you read it; reload and retry.",
        "La ressource a changé depuis votre lecture ; rechargez et réessayez.",
    ),
    (
        "bad_request",
        "The request is malformed.",
        "La requête est mal formée.",
    ),
    (
        "invalid_credentials",
        "The e-mail address or password is incorrect.",
        "L'adresse courriel ou le mot de passe est incorrect.",
    ),
    (
        "email_taken",
        "An account already uses this e-mail address.",
        "Un compte utilise déjà cette adresse courriel.",
    ),
    (
        "account_suspended",
        "This account is suspended.",
        "Ce compte est suspendu.",
    ),
    (
        "account_inactive",
        "This account is no longer active.",
        "Ce compte n'est plus actif.",
    ),
    (
        "invalid_token",
        "The access token is invalid.",
        "Le jeton d'accès est invalide.",
    ),
    (
        "token_expired",
        "The access token has expired; refresh it.",
        "Le jeton d'accès a expiré ; renouvelez-le.",
    ),
    (
        "invalid_refresh_token",
        "The refresh token is invalid or expired; sign in again.",
        "Le jeton de renouvellement est invalide ou expiré ; reconnectez-vous.",
    ),
    (
        "refresh_token_reused",
        "This refresh token was already used; every session of this sign-in was closed.",
        "Ce jeton de renouvellement a déjà servi ; toutes les sessions de cette connexion ont été fermées.",
    ),
    (
        "invalid_api_key",
        "The API key is invalid, expired or revoked.",
        "La clé d'API est invalide, expirée ou révoquée.",
    ),
    (
        "unsupported_authorization_scheme",
        "Use Authorization: Bearer <token> or ApiKey <key>.",
        "Utilisez Authorization: Bearer <jeton> ou ApiKey <clé>.",
    ),
    (
        "insufficient_scope",
        "The API key's scopes do not allow this.",
        "Les portées de la clé d'API ne permettent pas cette action.",
    ),
    (
        "api_key_cannot_create_keys",
        "API keys cannot create, list or revoke API keys.",
        "Une clé d'API ne peut ni créer, ni lister, ni révoquer de clé d'API.",
    ),
    (
        "last_admin",
        "The last active administrator cannot be demoted or suspended.",
        "Le dernier administrateur actif ne peut pas être rétrogradé ni suspendu.",
    ),
    (
        "idempotency_key_reused",
        "This Idempotency-Key was used for a different request.",
        "Cette clé d'idempotence a servi à une autre requête.",
    ),
    (
        "idempotency_key_in_progress",
        "A request with this Idempotency-Key is still running; retry shortly.",
        "Une requête avec cette clé d'idempotence est en cours ; réessayez sous peu.",
    ),
];

/// Every catalog: the common one and each domain's own (`routes::<domain>::MESSAGES`).
const CATALOGS: &[&[(&str, &str, &str)]] = &[
    COMMON,
    crate::routes::courses::MESSAGES,
    crate::routes::learning::MESSAGES,
    crate::routes::certificates::MESSAGES,
];

/// Detail text for a problem code, if a catalog knows it.
pub fn detail(code: &str, lang: Lang) -> Option<&'static str> {
    CATALOGS
        .iter()
        .flat_map(|catalog| catalog.iter())
        .find(|(c, _, _)| *c == code)
        .map(|(_, en, fr)| match lang {
            Lang::En => *en,
            Lang::Fr => *fr,
        })
}

/// Detail of a server error (the request id is in the body and header).
pub fn server_error(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "An unexpected error occurred. Quote the request id when contacting support.",
        Lang::Fr => {
            "Une erreur inattendue s'est produite. Indiquez l'identifiant de la requête au soutien."
        }
    }
}

/// Detail of a client error without a catalog entry.
pub fn generic_client_error(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "The request cannot be processed.",
        Lang::Fr => "La requête ne peut pas être traitée.",
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
