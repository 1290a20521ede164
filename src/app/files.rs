//! Reading whole input files (plans, profiles, baselines, catalogs, token samples) with bounds:
//! a regular file (or stdin where a command reads it), at most a named number of bytes, so a
//! path such as `/dev/zero` or a FIFO is a clear error instead of memory or time running out.

use std::io::Read;
use std::path::Path;

use crate::error::InputError;

/// Largest plan file read, bytes.
pub const MAX_PLAN_BYTES: u64 = 4 << 20;
/// Largest load profile read, bytes (a year of per-minute rows is about 30 MB).
pub const MAX_PROFILE_BYTES: u64 = 128 << 20;
/// Largest baseline report (`check --baseline`) read, bytes.
pub const MAX_BASELINE_BYTES: u64 = 16 << 20;
/// Largest catalog read, bytes.
pub const MAX_CATALOG_BYTES: u64 = 4 << 20;
/// Largest token sample (`tokens`, `size --prompt-file`) read, bytes, per file or stdin.
pub const MAX_SAMPLE_BYTES: u64 = 256 << 20;

/// Why a whole file could not be read, in words for an error message.
#[derive(Debug)]
pub enum ReadFailure {
    /// The operating system's error.
    Io(std::io::Error),
    /// Not a regular file (a directory, FIFO or device).
    NotAFile,
    /// Larger than the limit.
    TooLarge(u64),
}

impl std::fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadFailure::Io(e) => write!(f, "cannot read it: {e}"),
            ReadFailure::NotAFile => {
                write!(
                    f,
                    "not a regular file (a directory, pipe or device): give a file"
                )
            }
            ReadFailure::TooLarge(limit) => write!(
                f,
                "larger than the {} MiB this kind of file may be: give a smaller file",
                limit >> 20
            ),
        }
    }
}

impl ReadFailure {
    /// As an I/O error, for errors that carry one.
    pub fn into_io(self) -> std::io::Error {
        match self {
            ReadFailure::Io(e) => e,
            other => std::io::Error::other(other.to_string()),
        }
    }
}

/// The file named by a flag, else by environment variable `env` (an empty value counts as
/// unset), with how to show it in errors (`PTUPLAN_PRICES=path` for the variable).
pub fn flag_or_env(flag: Option<&Path>, env: &str) -> Option<(std::path::PathBuf, String)> {
    if let Some(path) = flag {
        return Some((path.to_path_buf(), path.display().to_string()));
    }
    let value = std::env::var_os(env).filter(|value| !value.is_empty())?;
    let path = std::path::PathBuf::from(value);
    let shown = format!("{env}={}", path.display());
    Some((path, shown))
}

/// All bytes of the regular file at `path`, at most `limit`.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure> {
    // Opening a FIFO waits for a writer, maybe forever: look at what the path is first (this
    // does not open it), and again once open, in case it was replaced in between.
    if !std::fs::metadata(path).map_err(ReadFailure::Io)?.is_file() {
        return Err(ReadFailure::NotAFile);
    }
    let file = std::fs::File::open(path).map_err(ReadFailure::Io)?;
    let metadata = file.metadata().map_err(ReadFailure::Io)?;
    if !metadata.is_file() {
        return Err(ReadFailure::NotAFile);
    }
    if metadata.len() > limit {
        return Err(ReadFailure::TooLarge(limit));
    }
    read_limited(file, limit)
}

/// All bytes of `reader` (stdin, a file), at most `limit`.
pub fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadFailure> {
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadFailure::TooLarge(limit));
    }
    Ok(bytes)
}

/// The UTF-8 text of the regular file at `path`, at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadFailure> {
    let bytes = read_bytes(path, limit)?;
    String::from_utf8(bytes).map_err(|_| {
        ReadFailure::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text",
        ))
    })
}

/// [`read_text`] with its failure as the input error for a file of `kind`.
pub fn read_input(path: &Path, kind: &'static str, limit: u64) -> Result<String, InputError> {
    read_text(path, limit).map_err(|failure| InputError::File {
        kind,
        path: path.display().to_string(),
        line: None,
        message: failure.to_string(),
    })
}

/// An error unless `path` resolves (symbolic links followed) inside the folder `base`.
pub fn check_inside(base: &Path, path: &Path) -> std::io::Result<()> {
    let base = base.canonicalize()?;
    let resolved = path.canonicalize()?;
    if resolved.starts_with(&base) {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "it is outside the plan's folder {}: plans name files relative to themselves \
             (pass --allow-outside-paths to read it anyway)",
            base.display()
        )))
    }
}

/// An error when a file is named twice, also as another path to it (`burst.csv` and
/// `./burst.csv`, a hard link, `-` for stdin redirected from it): its requests would be
/// counted twice.
pub fn reject_repeated_paths(paths: &[String]) -> Result<(), InputError> {
    let key = |path: &str| {
        std::fs::canonicalize(path)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| path.to_string())
    };
    let keys: Vec<(String, Option<(u64, u64)>)> =
        paths.iter().map(|p| (key(p), file_id(p))).collect();
    for (i, path) in paths.iter().enumerate() {
        let (name, id) = &keys[i];
        let same = |(other_name, other_id): &(String, Option<(u64, u64)>)| {
            other_name == name || (id.is_some() && other_id == id)
        };
        if keys[..i].iter().any(same) {
            return Err(InputError::Usage(format!(
                "'{path}' is given more than once: its requests would be counted twice"
            )));
        }
    }
    Ok(())
}

/// The device and inode of the file at `path` (`-` is stdin), which every path to one file
/// shares; `None` when it cannot be looked at.
#[cfg(unix)]
fn file_id(path: &str) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let path = if path == "-" { "/dev/stdin" } else { path };
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn file_id(_path: &str) -> Option<(u64, u64)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_large_files_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(matches!(
            read_text(dir.path(), 10),
            Err(ReadFailure::NotAFile)
        ));
        #[cfg(unix)]
        assert!(matches!(
            read_text(Path::new("/dev/zero"), 10),
            Err(ReadFailure::NotAFile)
        ));
        let file = dir.path().join("plan.toml");
        std::fs::write(&file, "0123456789").expect("write");
        assert_eq!(read_text(&file, 10).expect("fits"), "0123456789");
        assert!(matches!(read_text(&file, 9), Err(ReadFailure::TooLarge(9))));
        assert!(check_inside(dir.path(), &file).is_ok());
        assert!(check_inside(dir.path(), Path::new("/etc/hostname")).is_err());
        // A reader that never ends stops one byte past the limit.
        assert!(matches!(
            read_limited(std::io::repeat(b'x'), 1000),
            Err(ReadFailure::TooLarge(1000))
        ));
    }
}
