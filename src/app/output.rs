//! Output files (`--profile-out`, `--plot`, `--trace-out`): opened before any work, written to
//! a temporary file beside the target, and renamed over it only when the command succeeds. A
//! failed or interrupted run leaves the previous file, or none, never a partial or clobbered
//! one (an interrupted run may leave a `.ptuplan-*.tmp` file beside it).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::InputError;

/// Temporary files being written, removed if the run is interrupted (Ctrl-C, SIGTERM): the
/// signal ends the process without running destructors.
static PENDING: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// On SIGINT or SIGTERM: removes the temporary files of unfinished writes and exits with
/// 130. Installed when the first output file is opened.
fn clean_up_on_interrupt() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if let Ok(pending) = PENDING.lock() {
                for path in pending.iter() {
                    let _ = std::fs::remove_file(path);
                }
            }
            std::process::exit(130);
        });
    });
}

fn track(path: &Path, pending: bool) {
    if let Ok(mut list) = PENDING.lock() {
        if pending {
            list.push(path.to_path_buf());
        } else {
            list.retain(|p| p != path);
        }
    }
}

/// A file being written, replaced atomically by [`OutputFile::commit`].
#[derive(Debug)]
pub struct OutputFile {
    path: PathBuf,
    kind: &'static str,
    temp: NamedTempFile,
}

impl OutputFile {
    /// Checks `path` can be written by creating its temporary file now; `kind` names it in
    /// errors (`profile`, `plot`, `trace`).
    pub fn open(path: &Path, kind: &'static str) -> Result<OutputFile, InputError> {
        let path = &regular_target(path).map_err(|e| cannot_write(kind, path, e))?;
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(cannot_write(
                kind,
                path,
                std::io::Error::other(format!("its folder '{}' does not exist", dir.display())),
            ));
        }
        // The temporary file's own name would only confuse: report the kind of failure.
        let temp = tempfile::Builder::new()
            .prefix(".ptuplan-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| cannot_write(kind, path, std::io::Error::from(e.kind())))?;
        clean_up_on_interrupt();
        track(temp.path(), true);
        Ok(OutputFile {
            path: path.to_path_buf(),
            kind,
            temp,
        })
    }

    /// [`OutputFile::open`] for an optional path.
    pub fn open_if(path: Option<&Path>, kind: &'static str) -> Result<Option<Self>, InputError> {
        path.map(|path| OutputFile::open(path, kind)).transpose()
    }

    /// Opens a `--plot` file, which must be named `.svg`: a name ending otherwise would mislead
    /// whoever opens it.
    pub fn open_plot(path: Option<&Path>) -> Result<Option<Self>, InputError> {
        if let Some(path) = path {
            match path.extension().and_then(|e| e.to_str()) {
                Some(ext) if ext.eq_ignore_ascii_case("svg") => {}
                _ => {
                    return Err(InputError::Usage(format!(
                        "--plot {}: the chart is SVG; name the file .svg (convert it with e.g. \
                         rsvg-convert)",
                        path.display()
                    )));
                }
            }
        }
        OutputFile::open_if(path, "plot")
    }

    /// The temporary file, to write to.
    pub fn file(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// Writes all of `bytes` to the temporary file.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        let (kind, path) = (self.kind, self.path.clone());
        self.file()
            .write_all(bytes)
            .map_err(|e| cannot_write(kind, &path, e))
    }

    /// The error for a failed write of this file.
    pub fn error(&self, e: std::io::Error) -> InputError {
        cannot_write(self.kind, &self.path, e)
    }

    /// Moves the finished file over the target (a file already there keeps its permissions,
    /// a new one gets the usual 0644); returns the path as given.
    pub fn commit(self) -> Result<String, InputError> {
        let (kind, path) = (self.kind, self.path);
        self.temp
            .as_file()
            .sync_all()
            .map_err(|e| cannot_write(kind, &path, e))?;
        set_permissions(self.temp.path(), &path).map_err(|e| cannot_write(kind, &path, e))?;
        let temp_path = self.temp.path().to_path_buf();
        self.temp
            .persist(&path)
            .map_err(|e| cannot_write(kind, &path, e.error))?;
        track(&temp_path, false);
        Ok(path.display().to_string())
    }
}

/// The file to replace for `path`: the path itself when nothing or a regular file is there,
/// the file a symbolic link points to, and an error for anything else (a folder, a device
/// such as /dev/stdout or /dev/null, a pipe), which renaming over would destroy.
fn regular_target(path: &Path) -> std::io::Result<PathBuf> {
    // /dev/stdout and /proc/self/fd/1 lead to whatever stdout is: even a regular file there is
    // a stream the shell holds open, which renaming over would cut from it.
    if path.starts_with("/dev") || path.starts_with("/proc") {
        return Err(std::io::Error::other(
            "it is a device or stream such as /dev/stdout, not a file: give a file name",
        ));
    }
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(e) => return Err(e),
    };
    let target = if metadata.file_type().is_symlink() {
        match std::fs::canonicalize(path) {
            Ok(resolved) => resolved,
            // A dangling link: refuse rather than replace the link with a file.
            Err(_) => return Err(std::io::Error::other("it is a link to nothing")),
        }
    } else {
        path.to_path_buf()
    };
    if std::fs::metadata(&target)?.is_file() {
        Ok(target)
    } else {
        Err(std::io::Error::other(
            "it is not a regular file (a folder, device or pipe such as /dev/stdout): give a \
             file name",
        ))
    }
}

#[cfg(unix)]
fn set_permissions(temp: &Path, target: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let permissions = match std::fs::metadata(target) {
        Ok(existing) => existing.permissions(),
        Err(_) => std::fs::Permissions::from_mode(0o644),
    };
    std::fs::set_permissions(temp, permissions)
}

#[cfg(not(unix))]
fn set_permissions(_temp: &Path, _target: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Refuses an output path that is one of the command's inputs (the same file, through any
/// path or link): writing it would destroy what was just read.
pub fn refuse_overwriting_inputs(
    output: Option<&Path>,
    flag: &str,
    inputs: &[&Path],
) -> Result<(), InputError> {
    let Some(output) = output else {
        return Ok(());
    };
    let Some(target) = real_path(output) else {
        return Ok(());
    };
    match inputs
        .iter()
        .find(|input| real_path(input).as_ref() == Some(&target))
    {
        Some(input) => Err(InputError::Usage(format!(
            "{flag} {}: that is the input {}; write to another file",
            output.display(),
            input.display()
        ))),
        None => Ok(()),
    }
}

/// Refuses a command's two output files, each `(path, flag)`, when either is one of the
/// `inputs` or both name one file.
pub fn refuse_clashing_outputs(
    first: (Option<&Path>, &str),
    second: (Option<&Path>, &str),
    inputs: &[&Path],
) -> Result<(), InputError> {
    refuse_overwriting_inputs(first.0, first.1, inputs)?;
    refuse_overwriting_inputs(second.0, second.1, inputs)?;
    refuse_one_file_for_two_outputs(first, second)
}

/// Refuses two output flags, each `(path, flag)`, that name one file (through any path or
/// link): the file committed last would silently replace the other.
fn refuse_one_file_for_two_outputs(
    (first, first_flag): (Option<&Path>, &str),
    (second, second_flag): (Option<&Path>, &str),
) -> Result<(), InputError> {
    let (Some(first), Some(second)) = (first, second) else {
        return Ok(());
    };
    match real_path(first) {
        Some(target) if real_path(second).as_ref() == Some(&target) => {
            Err(InputError::Usage(format!(
                "{second_flag} {}: that is the file of {first_flag} {}; give each output its own \
             file",
                second.display(),
                first.display()
            )))
        }
        _ => Ok(()),
    }
}

/// The real path of `path`, symbolic links resolved; for a file that does not exist yet,
/// its folder's real path and its name.
fn real_path(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok().or_else(|| {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
    })
}

/// The error for an output file that cannot be written.
pub fn cannot_write(kind: &'static str, path: &Path, e: std::io::Error) -> InputError {
    InputError::File {
        kind,
        path: path.display().to_string(),
        line: None,
        message: format!("cannot write it: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_reaches_the_target_before_commit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("out.csv");
        std::fs::write(&target, "previous\n").expect("write");
        let mut file = OutputFile::open(&target, "profile").expect("opens");
        file.write_all(b"new\n").expect("writes");
        assert_eq!(
            std::fs::read_to_string(&target).expect("read"),
            "previous\n"
        );
        drop(file);
        // Dropped without commit: the previous file stays, and no temporary file is left.
        assert_eq!(
            std::fs::read_to_string(&target).expect("read"),
            "previous\n"
        );
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);
        let mut file = OutputFile::open(&target, "profile").expect("opens");
        file.write_all(b"new\n").expect("writes");
        file.commit().expect("commits");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "new\n");
    }

    #[test]
    fn a_directory_or_a_missing_folder_is_refused_up_front() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(OutputFile::open(dir.path(), "plot").is_err());
        assert!(OutputFile::open(&dir.path().join("missing/out.svg"), "plot").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_and_links_written_through() {
        for device in ["/dev/null", "/dev/stdout"] {
            assert!(
                OutputFile::open(Path::new(device), "trace").is_err(),
                "{device}"
            );
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().join("real.csv");
        std::fs::write(&real, "old\n").expect("write");
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&real, &link).expect("link");
        let mut file = OutputFile::open(&link, "trace").expect("opens");
        file.write_all(b"new\n").expect("writes");
        file.commit().expect("commits");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).expect("read"), "new\n");
    }
}
