//! Problem codes: every refusal the API can answer, declared once by the domain that raises it.
//!
//! A [`Problem`] is a stable snake_case `code`, a [`Kind`] (which the API maps to an HTTP status in
//! one place) and its English and French explanation. Domains declare theirs with [`problems!`]
//! next to the code that raises them; the macro also registers each one in [`PROBLEMS`], a
//! link-time collection, so adding a domain edits no central list. Raising one is
//! `Err(EMAIL_TAKEN.into())` or `.ok_or(NOT_FOUND)?`: no call site spells a code as a string.

#[doc(hidden)]
pub use linkme;

/// What kind of refusal a problem is; the API turns each kind into one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The request itself is malformed (400).
    BadRequest,
    /// Missing or invalid credentials (401).
    Unauthenticated,
    /// The thing must be paid for first (402).
    PaymentRequired,
    /// The caller may see the resource but not do this (403).
    Forbidden,
    /// The resource does not exist, or the caller may not know that it does (404).
    NotFound,
    /// The method does not apply to this resource (405).
    MethodNotAllowed,
    /// The request conflicts with the current state (409).
    Conflict,
    /// A conditional request's precondition (`If-Match`) does not hold (412).
    PreconditionFailed,
    /// The body is larger than accepted (413).
    PayloadTooLarge,
    /// The body is not in a supported media type (415).
    UnsupportedMediaType,
    /// Well-formed input that breaks a rule (422).
    Unprocessable,
    /// Too many requests; retry later (429).
    RateLimited,
    /// A bug or an unexpected failure; never explained to the client (500).
    Internal,
    /// The database or a dependency is unavailable; retry later (503).
    Unavailable,
}

/// A problem code with its kind and texts.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    /// Stable machine-readable identifier, snake_case.
    pub code: &'static str,
    pub kind: Kind,
    /// The `detail` in English.
    pub en: &'static str,
    /// The `detail` in French.
    pub fr: &'static str,
}

/// Every problem of the application, wherever it is declared (service and API crates alike).
#[allow(unsafe_code)] // linkme's link section; no unsafe code is written
#[linkme::distributed_slice]
pub static PROBLEMS: [&'static Problem];

/// The problem with `code`, if one is declared.
pub fn find(code: &str) -> Option<&'static Problem> {
    PROBLEMS.iter().copied().find(|p| p.code == code)
}

/// Declares problems and registers them in [`PROBLEMS`]:
///
/// ```ignore
/// problems! {
///     /// Raised when an e-mail address is already registered.
///     pub EMAIL_TAKEN: Conflict = "email_taken",
///         "An account already uses this e-mail address.",
///         "Un compte utilise déjà cette adresse courriel.";
/// }
/// ```
#[macro_export]
macro_rules! problems {
    ($( $(#[$meta:meta])* $vis:vis $name:ident : $kind:ident = $code:literal, $en:literal, $fr:literal; )*) => {
        $(
            $(#[$meta])*
            #[allow(unsafe_code)] // linkme's link section; no unsafe code is written
            #[$crate::problem::linkme::distributed_slice($crate::problem::PROBLEMS)]
            #[linkme(crate = $crate::problem::linkme)]
            $vis static $name: &$crate::problem::Problem = &$crate::problem::Problem {
                code: $code,
                kind: $crate::problem::Kind::$kind,
                en: $en,
                fr: $fr,
            };
        )*
    };
}

problems! {
    /// The catch-all for anything the caller may not see: absent and hidden look the same.
    pub NOT_FOUND: NotFound = "not_found",
        "The resource does not exist or is not visible to you.",
        "La ressource n'existe pas ou ne vous est pas accessible.";
    pub UNAUTHENTICATED: Unauthenticated = "unauthenticated",
        "Authentication is required.",
        "Une authentification est requise.";
    pub FORBIDDEN: Forbidden = "forbidden",
        "You are not allowed to do this.",
        "Vous n'êtes pas autorisé à effectuer cette action.";
    pub VALIDATION_FAILED: Unprocessable = "validation_failed",
        "Some fields are invalid.",
        "Certains champs sont invalides.";
    pub PAYMENT_REQUIRED: PaymentRequired = "payment_required",
        "This content must be purchased first.",
        "Ce contenu doit d'abord être acheté.";
    pub PRECONDITION_FAILED: PreconditionFailed = "precondition_failed",
        "The resource changed since you read it; reload and retry.",
        "La ressource a changé depuis votre lecture ; rechargez et réessayez.";
    pub RATE_LIMITED: RateLimited = "rate_limited",
        "Too many requests; try again later.",
        "Trop de requêtes ; réessayez plus tard.";
    pub DATABASE_UNAVAILABLE: Unavailable = "database_unavailable",
        "The service is temporarily unavailable; try again shortly.",
        "Le service est temporairement indisponible ; réessayez sous peu.";
    /// Concurrent changes kept conflicting after the transaction was retried.
    pub DATABASE_BUSY: Unavailable = "database_busy",
        "The data is being changed by other requests; retry in a moment.",
        "Les données sont modifiées par d'autres requêtes ; réessayez dans un instant.";
    pub DEPENDENCY_UNAVAILABLE: Unavailable = "dependency_unavailable",
        "A dependent service is unavailable; try again later.",
        "Un service dépendant est indisponible ; réessayez plus tard.";
    pub INTERNAL_ERROR: Internal = "internal_error",
        "An unexpected error occurred. Quote the request id when contacting support.",
        "Une erreur inattendue s'est produite. Indiquez l'identifiant de la requête au soutien.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_problems_are_collected_and_found_by_code() {
        assert!(PROBLEMS.iter().any(|p| std::ptr::eq(*p, NOT_FOUND)));
        assert_eq!(
            find("payment_required").map(|p| p.kind),
            Some(Kind::PaymentRequired)
        );
        assert!(find("no_such_code").is_none());
    }
}
