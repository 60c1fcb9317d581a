//! SHA-512 crypt hashes (`$6$...`) for the workshop config: the only form in which a
//! password may appear in a generated file.

use sha_crypt::{PasswordHasher, ShaCrypt};

/// Hash `password` with a fresh random salt.
pub fn hash(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 12];
    getrandom::fill(&mut salt).map_err(|e| format!("no randomness for the salt: {e}"))?;
    hash_with_salt(password, &salt)
}

/// Hash with a given salt (raw bytes; they are base-64 encoded into the hash).
pub fn hash_with_salt(password: &str, salt: &[u8]) -> Result<String, String> {
    ShaCrypt::default()
        .hash_password_with_salt(password.as_bytes(), salt)
        // glibc's default rounds need not be spelt out: `$6$salt$hash`, as mkpasswd writes it.
        .map(|h| h.as_str().replacen("$6$rounds=5000$", "$6$", 1))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_have_the_crypt_shape() {
        let h = hash("geheim123").unwrap();
        assert!(crate::workshop::is_sha512_crypt(&h), "{h}");
        assert_ne!(hash("geheim123").unwrap(), h, "salts differ");
        assert_eq!(
            hash_with_salt("x", b"0123456789ab").unwrap(),
            hash_with_salt("x", b"0123456789ab").unwrap()
        );
    }
}
