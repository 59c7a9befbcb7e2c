//! Where an export may be written, and writing it there safely.
//!
//! A report replaces its target by renaming a finished temporary file over it. A rename replaces whatever
//! the path names: a device such as `/dev/null`, a named pipe, a symbolic link, or one of the very logs
//! being audited. [`check_target`] decides before anything is written, [`write_export`] follows that
//! decision, and every unfinished temporary file is listed so that an interrupt can remove it
//! ([`remove_unfinished_files`]).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::ExportError;

/// Temporary files being written right now; an interrupt handler removes them before the process exits.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Makes temporary names unique within the process; the process id makes them unique across processes.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// The prefix of every temporary file Candor writes beside an output.
pub const TEMP_PREFIX: &str = ".candor-";

/// Why a target was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The target is one of the inputs of the audit.
    IsAnInput,
    /// The target is a folder.
    IsAFolder,
    /// The target is a symbolic link; renaming would replace the link, not the file it points to.
    IsALink,
    /// The target is a device, a named pipe or a socket; renaming would replace it with a plain file.
    IsSpecial(&'static str),
}

impl Refusal {
    /// Whether the user may insist (`--force`); a folder can never be replaced by a report.
    pub fn can_be_forced(&self) -> bool {
        !matches!(self, Self::IsAFolder)
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::IsAnInput => f.write_str(
                "it is one of the logs being audited, and the report would replace it",
            ),
            Self::IsAFolder => f.write_str("it is a folder, not a file"),
            Self::IsALink => f.write_str(
                "it is a symbolic link, and the report would replace the link instead of the file it points to",
            ),
            Self::IsSpecial(kind) => write!(
                f,
                "it is {kind}, not a regular file, and the report would replace it with a plain file"
            ),
        }
    }
}

/// How a checked target is to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Write a temporary file beside this path and rename it over the path.
    Replace(PathBuf),
    /// Write straight into this existing device or pipe (only when forced).
    Stream(PathBuf),
}

/// Decides whether and how `path` may receive a report. `inputs` are the files the report is made from;
/// `force` accepts what is refused by default except a folder: it writes through a link to its target,
/// straight into a device or pipe, and over an input.
pub fn check_target(path: &Path, inputs: &[PathBuf], force: bool) -> Result<Plan, ExportError> {
    let refuse = |refusal: Refusal| {
        if force && refusal.can_be_forced() {
            Ok(())
        } else {
            Err(ExportError::Refused(refusal))
        }
    };
    let Ok(meta) = fs::symlink_metadata(path) else {
        // Nothing there yet (or nothing we can look at): the rename creates it, or reports why not.
        return Ok(Plan::Replace(path.to_owned()));
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        refuse(Refusal::IsALink)?;
        // Forced: write to what the link points to, and check that target in turn.
        return match fs::canonicalize(path) {
            Ok(target) => check_target(&target, inputs, force),
            // A dangling link: replacing the link is all that can be done.
            Err(_) => Ok(Plan::Replace(path.to_owned())),
        };
    }
    if kind.is_dir() {
        refuse(Refusal::IsAFolder)?;
    }
    if let Some(special) = special_kind(&meta) {
        refuse(Refusal::IsSpecial(special))?;
        return Ok(Plan::Stream(path.to_owned()));
    }
    if inputs.iter().any(|input| same_file(path, &meta, input)) {
        refuse(Refusal::IsAnInput)?;
    }
    Ok(Plan::Replace(path.to_owned()))
}

/// Names a file that is neither regular, a folder nor a link.
fn special_kind(meta: &fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() || kind.is_dir() || kind.is_symlink() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_fifo() {
            return Some("a named pipe");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// Whether `input` names the same file as `path` (whose metadata is `meta`): the same device and inode
/// on Unix, so hard links count too; the same canonical path elsewhere.
fn same_file(path: &Path, meta: &fs::Metadata, input: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let _ = path;
        fs::metadata(input)
            .is_ok_and(|other| other.dev() == meta.dev() && other.ino() == meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        match (fs::canonicalize(path), fs::canonicalize(input)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// Checks `path` ([`check_target`]) and writes the export there: atomically for a file, straight in for a
/// forced device or pipe.
pub fn write_export(
    path: &Path,
    inputs: &[PathBuf],
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    match check_target(path, inputs, force)? {
        Plan::Replace(target) => write_atomically(&target, write),
        Plan::Stream(target) => {
            let file = OpenOptions::new().write(true).open(&target)?;
            let mut buffered = io::BufWriter::new(file);
            write(&mut buffered)?;
            buffered.flush()?;
            Ok(())
        }
    }
}

/// Writes a file atomically: into a temporary file beside it, then renamed over the target, so a reader
/// never sees half a file and a failure leaves the old file in place.
///
/// A new file gets the permissions any file the user creates gets (read-write for everyone, less the
/// umask); a replaced regular file keeps its own.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let temp = TempFile::create_in(folder)?;
    {
        let mut buffered = io::BufWriter::new(&temp.file);
        write(&mut buffered)?;
        buffered.flush()?;
    }
    if let Ok(existing) = fs::metadata(path)
        && existing.is_file()
    {
        temp.file.set_permissions(existing.permissions())?;
    }
    temp.file.sync_all()?;
    temp.persist(path)?;
    sync_folder(folder);
    Ok(())
}

/// Makes a rename in `folder` durable. Best effort: not every platform or file system can open a folder.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        dir.sync_all().ok();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

/// Removes every temporary file still being written. For interrupt handlers: afterwards, no
/// `.candor-*.tmp` file of this process is left behind.
pub fn remove_unfinished_files() {
    let paths = UNFINISHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for path in paths.iter() {
        fs::remove_file(path).ok();
    }
}

/// A temporary file listed in [`UNFINISHED`] while it exists; removed on drop unless persisted.
struct TempFile {
    file: File,
    path: PathBuf,
}

impl TempFile {
    fn create_in(folder: &Path) -> io::Result<Self> {
        loop {
            let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = folder.join(format!("{TEMP_PREFIX}{}-{n}.tmp", std::process::id()));
            // Listed before it is created, so that an interrupt in between cannot leave it behind.
            list_unfinished(&path);
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt as _;
                // The system applies the umask to this mode, as for any file the user creates.
                options.mode(0o666);
            }
            match options.open(&path) {
                Ok(file) => return Ok(Self { file, path }),
                Err(err) => {
                    unlist_unfinished(&path);
                    if err.kind() != io::ErrorKind::AlreadyExists {
                        return Err(err);
                    }
                }
            }
        }
    }

    fn persist(self, target: &Path) -> io::Result<()> {
        fs::rename(&self.path, target)
        // Drop unlists the path; after a successful rename the removal in drop finds nothing.
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let mut paths = UNFINISHED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Removed while the list is locked, so an interrupt handler never sees a half-done removal.
        if fs::symlink_metadata(&self.path).is_ok_and(|m| m.is_file()) {
            fs::remove_file(&self.path).ok();
        }
        paths.retain(|p| p != &self.path);
    }
}

fn list_unfinished(path: &Path) {
    UNFINISHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(path.to_owned());
}

fn unlist_unfinished(path: &Path) {
    UNFINISHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .retain(|p| p != path);
}

/// Says in plain words why writing failed.
pub fn plain_write_error(err: &io::Error) -> String {
    use io::ErrorKind;
    match err.kind() {
        ErrorKind::StorageFull => "there is no space left on the disk".to_owned(),
        ErrorKind::QuotaExceeded => "your disk quota is used up".to_owned(),
        ErrorKind::FileTooLarge => "the file would be larger than the disk allows".to_owned(),
        ErrorKind::PermissionDenied => {
            "permission was denied (you may not write in that folder or to that file)".to_owned()
        }
        ErrorKind::ReadOnlyFilesystem => "the disk is read-only".to_owned(),
        ErrorKind::NotFound => "the folder does not exist".to_owned(),
        ErrorKind::IsADirectory => "it is a folder, not a file".to_owned(),
        ErrorKind::NotADirectory => "part of the path is a file, not a folder".to_owned(),
        ErrorKind::BrokenPipe => "the program reading the output stopped reading".to_owned(),
        _ => format!("the system reported: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::plain_write_error;

    #[test]
    fn write_errors_say_why_in_plain_words() {
        let full = io::Error::from(io::ErrorKind::StorageFull);
        assert_eq!(
            plain_write_error(&full),
            "there is no space left on the disk"
        );
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert!(plain_write_error(&denied).starts_with("permission was denied"));
        let read_only = io::Error::from(io::ErrorKind::ReadOnlyFilesystem);
        assert_eq!(plain_write_error(&read_only), "the disk is read-only");
    }
}
