//! Files the service writes under `DATA_DIR` (the SQLite database, the `.eml` outbox with its
//! reset and verification links, the generated certificate signing key) are private to the
//! service's user: the directories it creates are 0700 and the files 0600, whatever the umask (on
//! unix; elsewhere the platform's defaults apply). Existing directories and files keep their mode:
//! [`open_to_others`] lets start-up warn about a `DATA_DIR` others can read.

use std::io;
use std::path::Path;

/// Mode of the directories the service creates.
#[cfg(unix)]
const DIR_MODE: u32 = 0o700;
/// Mode of the files the service creates.
#[cfg(unix)]
const FILE_MODE: u32 = 0o600;

/// Creates `dir` and its missing parents, each 0700.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(dir)
}

/// [`create_private_dir`] for async code.
pub async fn create_private_dir_async(dir: &Path) -> io::Result<()> {
    let mut builder = tokio::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(DIR_MODE);
    builder.create(dir).await
}

/// Creates the file `path` with `contents`, 0600; fails if it exists.
pub fn write_new_private(path: &Path, contents: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    options.open(path)?.write_all(contents)
}

/// [`write_new_private`] for async code.
pub async fn write_new_private_async(path: &Path, contents: &[u8]) -> io::Result<()> {
    use tokio::io::AsyncWriteExt as _;
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(FILE_MODE);
    let mut file = options.open(path).await?;
    file.write_all(contents).await?;
    file.flush().await
}

/// Creates `path` empty, 0600, unless it exists (libraries such as SQLite then open it and keep
/// its mode, also for their side files: `-wal`, `-shm`, `-journal`).
pub fn create_private_file(path: &Path) -> io::Result<()> {
    match write_new_private(path, &[]) {
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

/// The mode of `path` when its group or other users have any access to it.
pub fn open_to_others(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[tokio::test]
    async fn created_directories_are_0700_and_files_0600() {
        let tmp = tempfile::tempdir().unwrap();
        let nested = tmp.path().join("a/b");
        create_private_dir(&nested).unwrap();
        create_private_dir_async(&tmp.path().join("c/d"))
            .await
            .unwrap();
        write_new_private(&nested.join("key"), b"secret").unwrap();
        write_new_private_async(&nested.join("mail.eml"), b"mail")
            .await
            .unwrap();
        create_private_file(&nested.join("db")).unwrap();
        create_private_file(&nested.join("db")).unwrap();

        for dir in ["a", "a/b", "c", "c/d"] {
            assert_eq!(mode(&tmp.path().join(dir)), 0o700, "{dir}");
        }
        for file in ["key", "mail.eml", "db"] {
            assert_eq!(mode(&nested.join(file)), 0o600, "{file}");
        }
        assert!(write_new_private(&nested.join("key"), b"other").is_err());
        assert_eq!(std::fs::read(nested.join("key")).unwrap(), b"secret");
        assert_eq!(open_to_others(&nested), None);
        std::fs::set_permissions(&nested, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(open_to_others(&nested), Some(0o755));
    }
}
