//! The server's secret key, which keys the hashes of enrollment codes. Kept in a file outside
//! the repository (created with owner-only permissions on first start), never in code or logs.

use std::io::Write;
use std::path::Path;

const KEY_BYTES: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the server key file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot create the server key file {path}: {source}")]
    Create {
        path: String,
        source: std::io::Error,
    },
    #[error("the server key file {path} must hold 64 hexadecimal characters (32 random bytes)")]
    Malformed { path: String },
    #[error(
        "the server key file {path} can be read by others (mode {mode:o}); make it owner-only with `chmod 600 {path}` and consider replacing the key"
    )]
    TooOpen { path: String, mode: u32 },
}

/// Reads the key, or creates a new random one when the file does not exist yet.
pub fn load_or_create(path: &Path, rng: &mut impl rand::RngCore) -> Result<Vec<u8>, KeyError> {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            refuse_open_rights(path, &shown)?;
            match hex::decode(text.trim()) {
                Ok(key) if key.len() == KEY_BYTES => Ok(key),
                _ => Err(KeyError::Malformed { path: shown }),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut key = vec![0u8; KEY_BYTES];
            rng.fill_bytes(&mut key);
            write_new(path, &hex::encode(&key)).map_err(|source| KeyError::Create {
                path: shown,
                source,
            })?;
            Ok(key)
        }
        Err(source) => Err(KeyError::Read {
            path: shown,
            source,
        }),
    }
}

/// A key others could read may have been copied: refuse it rather than quietly go on.
fn refuse_open_rights(path: &Path, shown: &str) -> Result<(), KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|source| KeyError::Read {
                path: shown.to_owned(),
                source,
            })?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::TooOpen {
                path: shown.to_owned(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = (path, shown);
    Ok(())
}

fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn creates_once_then_reads_the_same_key() {
        let dir = tempfile::tempdir().unwrap_or_else(|_| unreachable!());
        let path = dir.path().join("keys/server.key");
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let first = load_or_create(&path, &mut rng).ok();
        let second = load_or_create(&path, &mut rng).ok();
        assert_eq!(first.as_ref().map(Vec::len), Some(32));
        assert_eq!(first, second);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .map(|m| m.permissions().mode() & 0o777)
                .ok();
            assert_eq!(mode, Some(0o600));
        }
        std::fs::write(&path, "short").unwrap_or_else(|_| unreachable!());
        assert!(matches!(
            load_or_create(&path, &mut rng),
            Err(KeyError::Malformed { .. })
        ));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let key = hex::encode([1u8; 32]);
            std::fs::write(&path, &key).unwrap_or_else(|_| unreachable!());
            for mode in [0o640, 0o604, 0o644] {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
                    .unwrap_or_else(|_| unreachable!());
                assert!(
                    matches!(
                        load_or_create(&path, &mut rng),
                        Err(KeyError::TooOpen { .. })
                    ),
                    "{mode:o}"
                );
            }
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400))
                .unwrap_or_else(|_| unreachable!());
            assert_eq!(load_or_create(&path, &mut rng).ok(), Some(vec![1u8; 32]));
        }
    }
}
