//! The messages the platform sends, in the recipient's language (Canadian English or French).
//!
//! Each template returns `(subject, plain-text body)`.

use entity::enums::Language;

/// Password-reset e-mail in the user's language; `link` contains the secret token (valid 1 hour).
pub fn password_reset(language: Language, first_name: &str, link: &str) -> (String, String) {
    let hello = greeting(language, first_name);
    match language {
        Language::En => (
            "Reset your RusingAcademy password".to_owned(),
            format!(
                "{hello}\n\n\
                 We received a request to reset the password of your RusingAcademy account. \
                 To choose a new password, open the link below:\n\n\
                 {link}\n\n\
                 This link is valid for 1 hour.\n\n\
                 If you did not ask to reset your password, you can safely ignore this message; \
                 your password will not change.\n\n\
                 The RusingAcademy team\n"
            ),
        ),
        Language::Fr => (
            "Réinitialisation de votre mot de passe RusingAcademy".to_owned(),
            format!(
                "{hello}\n\n\
                 Nous avons reçu une demande de réinitialisation du mot de passe de votre compte \
                 RusingAcademy. Pour choisir un nouveau mot de passe, ouvrez le lien ci-dessous\u{a0}:\n\n\
                 {link}\n\n\
                 Ce lien est valide pendant 1 heure.\n\n\
                 Si vous n'avez pas demandé cette réinitialisation, vous pouvez ignorer ce message \
                 en toute sécurité; votre mot de passe restera inchangé.\n\n\
                 L'équipe RusingAcademy\n"
            ),
        ),
    }
}

/// E-mail address verification in the user's language; `link` contains the secret token
/// (valid 24 hours).
pub fn email_verification(language: Language, first_name: &str, link: &str) -> (String, String) {
    let hello = greeting(language, first_name);
    match language {
        Language::En => (
            "Confirm your RusingAcademy email address".to_owned(),
            format!(
                "{hello}\n\n\
                 To confirm the email address of your RusingAcademy account, open the link below:\n\n\
                 {link}\n\n\
                 This link is valid for 24 hours.\n\n\
                 If you did not make this request, you can safely ignore this message.\n\n\
                 The RusingAcademy team\n"
            ),
        ),
        Language::Fr => (
            "Confirmez votre adresse courriel RusingAcademy".to_owned(),
            format!(
                "{hello}\n\n\
                 Pour confirmer l'adresse courriel de votre compte RusingAcademy, ouvrez le lien \
                 ci-dessous\u{a0}:\n\n\
                 {link}\n\n\
                 Ce lien est valide pendant 24 heures.\n\n\
                 Si vous n'avez pas fait cette demande, vous pouvez ignorer ce message en toute \
                 sécurité.\n\n\
                 L'équipe RusingAcademy\n"
            ),
        ),
    }
}

/// `Hello Marie,` / `Bonjour Marie,`, or without the name when there is none.
fn greeting(language: Language, first_name: &str) -> String {
    let word = match language {
        Language::En => "Hello",
        Language::Fr => "Bonjour",
    };
    match first_name.trim() {
        "" => format!("{word},"),
        name => format!("{word} {name},"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://app.rusingacademy.ca/t?token=s3cr3t";

    #[test]
    fn password_reset_speaks_the_users_language() {
        let (subject, text) = password_reset(Language::Fr, "Marie", LINK);
        assert_eq!(
            subject,
            "Réinitialisation de votre mot de passe RusingAcademy"
        );
        assert!(text.starts_with("Bonjour Marie,\n"), "{text}");
        for part in [
            LINK,
            "valide pendant 1 heure",
            "ignorer ce message",
            "L'équipe RusingAcademy",
        ] {
            assert!(text.contains(part), "{part:?} missing in {text}");
        }

        let (subject, text) = password_reset(Language::En, "John", LINK);
        assert_eq!(subject, "Reset your RusingAcademy password");
        assert!(text.starts_with("Hello John,\n"), "{text}");
        for part in [
            LINK,
            "valid for 1 hour",
            "ignore this message",
            "The RusingAcademy team",
        ] {
            assert!(text.contains(part), "{part:?} missing in {text}");
        }
        assert!(!text.contains("Bonjour"));
    }

    #[test]
    fn email_verification_speaks_the_users_language() {
        let (subject, text) = email_verification(Language::Fr, "Marie", LINK);
        assert!(subject.contains("courriel"), "{subject}");
        for part in [
            LINK,
            "Bonjour Marie,",
            "24 heures",
            "ignorer ce message",
            "L'équipe RusingAcademy",
        ] {
            assert!(text.contains(part), "{part:?} missing in {text}");
        }

        let (subject, text) = email_verification(Language::En, "  ", LINK);
        assert!(subject.contains("email address"), "{subject}");
        assert!(text.starts_with("Hello,\n"), "{text}");
        for part in [
            LINK,
            "24 hours",
            "ignore this message",
            "The RusingAcademy team",
        ] {
            assert!(text.contains(part), "{part:?} missing in {text}");
        }
    }
}
