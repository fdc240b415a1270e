"""File helpers: `get_file` (download with cache and hash check), archive extraction.

The cache is the one real Keras uses (`$KERAS_HOME` or `~/.keras`, sub-folder
`datasets`), with the same file names, so a file fetched by either library is
reused by the other.
"""
import hashlib
import http.client
import inspect
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile

from minikeras.utils.progbar import Progbar, print_msg

# Seconds a blocked socket operation may wait before the download gives up.
DOWNLOAD_TIMEOUT = 60
_CHUNK_SIZE = 65535


def keras_home():
    """Returns the Keras base folder: `$KERAS_HOME` if set, else `~/.keras`.

    Read at call time (Keras reads it at import) so that setting the variable
    in a running session takes effect.
    """
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    base = os.path.expanduser("~")
    if not os.access(base, os.W_OK):
        base = tempfile.gettempdir()
    return os.path.join(base, ".keras")


def path_to_string(path):
    """Converts a `PathLike` to `str`; any other object is returned unchanged."""
    if isinstance(path, os.PathLike):
        return os.fspath(path)
    return path


# ----------------------------------------------------------------- hashing


def resolve_hasher(algorithm, file_hash=None):
    """Returns a fresh `hashlib` object for `"sha256"`, `"md5"` or `"auto"`.

    `"auto"` picks sha256 for a 64-character hash and md5 otherwise, as Keras.
    """
    if algorithm == "sha256":
        return hashlib.sha256()
    if algorithm == "md5":
        return hashlib.md5()
    if algorithm == "auto":
        if file_hash is not None and len(str(file_hash)) == 64:
            return hashlib.sha256()
        return hashlib.md5()
    raise ValueError(
        "Expected `hash_algorithm` to be one of 'auto', 'sha256', 'md5'. "
        f"Received: hash_algorithm={algorithm!r}")


def hash_file(fpath, algorithm="sha256", chunk_size=_CHUNK_SIZE):
    """Calculates the sha256 or md5 hash of a file.

    Args:
        fpath: Path to the file.
        algorithm: `"sha256"`, `"md5"` or `"auto"` (sha256), or a `hashlib`
            object to update.
        chunk_size: Bytes read at a time.

    Returns:
        The hex digest (str).
    """
    hasher = resolve_hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=_CHUNK_SIZE):
    """Validates a file against a sha256 or md5 hash.

    Args:
        fpath: Path to the file.
        file_hash: The expected hex digest.
        algorithm: `"auto"` (detected from the hash length), `"sha256"` or
            `"md5"`.
        chunk_size: Bytes read at a time.

    Returns:
        Whether the file's hash equals `file_hash`.
    """
    hasher = resolve_hasher(algorithm, file_hash)
    return hash_file(fpath, hasher, chunk_size) == str(file_hash).lower()


# -------------------------------------------------------------- extraction


def _within(base_dir, relative):
    """The resolved path of `relative` under `base_dir`, or None if it escapes."""
    path = os.path.realpath(os.path.join(base_dir, relative))
    try:
        return path if os.path.commonpath([path, base_dir]) == base_dir else None
    except ValueError:  # different drives on Windows
        return None


def _safe_tar_members(archive, base_dir):
    """Yields the tar members that stay inside `base_dir`; warns on the others."""
    for info in archive:
        ok = _within(base_dir, info.name) is not None
        if ok and info.issym():
            # A symlink's target is relative to the folder holding the link.
            target = os.path.join(os.path.dirname(info.name), info.linkname)
            ok = not os.path.isabs(info.linkname) and _within(base_dir, target) is not None
        elif ok and info.islnk():
            # A hard link's target is relative to the archive root.
            ok = _within(base_dir, info.linkname) is not None
        elif ok and not (info.isfile() or info.isdir()):
            ok = False  # devices and fifos have no place in a dataset
        if ok:
            yield info
        else:
            warnings.warn(
                f"Skipping invalid path during archive extraction: '{info.name}'.",
                stacklevel=3)


def _safe_zip_members(archive, base_dir):
    for info in archive.infolist():
        if _within(base_dir, info.filename) is not None:
            yield info
        else:
            warnings.warn(
                "Skipping invalid path during archive extraction: "
                f"'{info.filename}'.", stacklevel=3)


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extracts a tar (`.tar`, `.tar.gz`, `.tar.bz2`) or zip archive.

    Members whose path would land outside `path` (absolute names, `..`,
    links pointing outside) are skipped with a warning.

    Args:
        file_path: Path to the archive.
        path: Folder to extract into.
        archive_format: `"auto"` (try tar then zip), `"tar"`, `"zip"`, a
            list of those, or `None` (extract nothing).

    Returns:
        True if the file matched a format and was extracted, else False.
    """
    if archive_format is None:
        return False
    if archive_format == "auto":
        archive_format = ["tar", "zip"]
    if isinstance(archive_format, str):
        archive_format = [archive_format]
    file_path = path_to_string(file_path)
    path = path_to_string(path)

    for kind in archive_format:
        if kind == "tar":
            matches, opener = tarfile.is_tarfile, tarfile.open
        elif kind == "zip":
            matches, opener = zipfile.is_zipfile, zipfile.ZipFile
        else:
            raise ValueError(
                "Expected `archive_format` to be 'auto', 'tar', 'zip', a list "
                f"of those, or None. Received: archive_format={kind!r}")
        if not matches(file_path):
            continue
        os.makedirs(path, exist_ok=True)
        base_dir = os.path.realpath(path)
        try:
            with opener(file_path) as archive:
                if kind == "zip":
                    archive.extractall(path, members=_safe_zip_members(archive, base_dir))
                else:
                    kwargs = {}
                    # The "data" filter (Python 3.12, backported to 3.10.12 and
                    # 3.11.4) adds a second layer of checks where available.
                    if "filter" in inspect.signature(archive.extractall).parameters:
                        kwargs["filter"] = "data"
                    archive.extractall(
                        path, members=_safe_tar_members(archive, base_dir), **kwargs)
        except (tarfile.TarError, zipfile.BadZipFile, RuntimeError, KeyboardInterrupt):
            if os.path.isfile(path):
                os.remove(path)
            elif os.path.isdir(path):
                shutil.rmtree(path)
            raise
        return True
    return False


# ---------------------------------------------------------------- download


def _offline_message(origin, reason, target):
    return (
        f"URL fetch failure on {origin}: {reason}\n"
        f"The URL could not be reached (are you offline, or behind a proxy?). "
        f"To use this file without a network, download it on another machine "
        f"from {origin} and place it at:\n    {target}\n"
        "That folder is the Keras cache (set the KERAS_HOME environment "
        "variable or pass `cache_dir` to use another one); a file found there "
        "is used without any download.")


def _download(origin, target):
    """Streams `origin` into a temp file next to `target`; returns its path."""
    folder = os.path.dirname(target)
    fd, tmp_path = tempfile.mkstemp(
        dir=folder, prefix=os.path.basename(target) + ".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            request = urllib.request.Request(origin, headers={"User-Agent": "minikeras"})
            try:
                response = urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT)
            except urllib.error.HTTPError as e:
                raise Exception(
                    f"URL fetch failure on {origin}: {e.code} -- {e.msg}") from None
            except (urllib.error.URLError, OSError) as e:
                reason = getattr(e, "reason", e)
                raise ConnectionError(_offline_message(origin, reason, target)) from None
            with response:
                length = response.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else None
                progress = Progbar(total)  # counts bytes, as Keras's download bar
                received = 0
                try:
                    for chunk in iter(lambda: response.read(_CHUNK_SIZE), b""):
                        out.write(chunk)
                        received += len(chunk)
                        progress.update(received, finalize=False)
                except (OSError, http.client.HTTPException) as e:
                    # The connection dropped or timed out mid-file.
                    raise ConnectionError(
                        _offline_message(origin, f"download interrupted ({e})", target)
                    ) from None
                progress.update(received, finalize=True)
        if total is not None and received != total:
            raise ConnectionError(_offline_message(
                origin, f"download interrupted after {received} of {total} bytes",
                target))
        return tmp_path
    except BaseException:
        if os.path.exists(tmp_path):
            os.remove(tmp_path)
        raise


def _writable_cache_base(cache_dir):
    base = os.path.expanduser(path_to_string(cache_dir))
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        pass
    if not os.access(base, os.W_OK):
        # As Keras: fall back to a temp folder when the cache is read-only.
        base = os.path.join(tempfile.gettempdir(), ".keras")
    return base


def get_file(
    fname=None,
    origin=None,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
    force_download=False,
):
    """Downloads a file from a URL if it is not already in the cache.

    By default the file at `origin` is saved as `~/.keras/datasets/fname`
    (the cache real Keras uses, so files are shared with it). Files in
    `.tar`, `.tar.gz`, `.tar.bz2` and `.zip` formats can be extracted.
    Downloads go to a temporary name and are renamed only once complete
    (and hash-checked), so an interrupted download never leaves a corrupt
    file in the cache.

    Example:

    ```python
    path = keras.utils.get_file(
        origin="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz")
    ```

    Args:
        fname: Local file name. If `None`, the name of the file at `origin`.
            With `extract=True`, a name without an extension is used as the
            extraction folder.
        origin: URL of the file.
        untar: Deprecated in favor of `extract`; extract as a tar archive.
        md5_hash: Deprecated in favor of `file_hash`; md5 of the file.
        file_hash: Expected sha256 or md5 hex digest of the file.
        cache_subdir: Sub-folder of the cache dir (an absolute path is used
            as is).
        hash_algorithm: `"md5"`, `"sha256"` or `"auto"` (detected from the
            hash length).
        extract: Whether to extract the archive.
        archive_format: `"auto"` (tar then zip), `"tar"`, `"zip"` or `None`.
        cache_dir: Cache location; defaults to `$KERAS_HOME` if set, else
            `~/.keras`.
        force_download: Re-download even if the file is cached.

    Returns:
        Path to the downloaded file, or to the extraction folder when
        `extract` or `untar` is set.
    """
    if origin is None:
        raise ValueError(
            'Please specify the "origin" argument (URL of the file to download).')
    if cache_dir is None:
        cache_dir = keras_home()
    if md5_hash is not None and file_hash is None:
        file_hash = md5_hash
        hash_algorithm = "md5"
    if file_hash is not None:
        hasher_name = resolve_hasher(hash_algorithm, file_hash).name
    datadir = os.path.join(_writable_cache_base(cache_dir), cache_subdir)
    os.makedirs(datadir, exist_ok=True)

    provided_fname = fname
    fname = path_to_string(fname)
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(
                f"Can't parse the file name from the origin provided: '{origin}'. "
                "Please specify the `fname` argument.")
    elif os.sep in fname or (os.altsep and os.altsep in fname):
        raise ValueError(
            "Paths are no longer accepted as the `fname` argument. To specify "
            "the file's parent directory, use the `cache_dir` argument. "
            f"Received: fname={fname}")

    # Same naming as Keras, so archives and folders are shared with it.
    if extract or untar:
        if provided_fname and "." in fname:
            download_target = os.path.join(datadir, fname)
            stem = fname[: fname.find(".")]
            extraction_dir = os.path.join(datadir, f"{stem}_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            download_target = os.path.join(datadir, f"{fname}_archive")
    else:
        download_target = os.path.join(datadir, fname)

    download = force_download or not os.path.exists(download_target)
    if not download and file_hash is not None:
        if not validate_file(download_target, file_hash, algorithm=hash_algorithm):
            print_msg(
                "A local file was found, but it seems to be incomplete or "
                f"outdated because the {hasher_name} file hash does not match "
                f"the original value of {file_hash} so we will re-download "
                "the data.")
            download = True

    if download:
        print_msg(f"Downloading data from {origin}")
        tmp_path = _download(origin, download_target)
        if file_hash is not None and not validate_file(
                tmp_path, file_hash, algorithm=hash_algorithm):
            actual = hash_file(tmp_path, resolve_hasher(hash_algorithm, file_hash))
            os.remove(tmp_path)
            raise ValueError(
                "Incomplete or corrupted file detected. The "
                f"{hasher_name} file hash does not match the provided value of "
                f"{file_hash} (the downloaded file from {origin} has "
                f"{actual}); it was not saved.")
        os.replace(tmp_path, download_target)

    if not (extract or untar):
        return download_target

    if untar:
        archive_format = "tar"
    # Extract once into a temp folder, then rename: an interrupted extraction
    # never looks complete. A folder already there (ours or Keras's) is reused
    # unless the archive was just (re-)downloaded.
    if download or not os.path.isdir(extraction_dir):
        tmp_dir = tempfile.mkdtemp(
            dir=datadir, prefix=os.path.basename(extraction_dir) + ".", suffix=".part")
        try:
            status = extract_archive(download_target, tmp_dir, archive_format)
            if status:
                if os.path.isdir(extraction_dir):
                    shutil.rmtree(extraction_dir)
                elif os.path.exists(extraction_dir):
                    os.remove(extraction_dir)
                os.replace(tmp_dir, extraction_dir)
        finally:
            if os.path.isdir(tmp_dir):
                shutil.rmtree(tmp_dir)
        if not status:
            warnings.warn("Could not extract archive.", stacklevel=2)
    return extraction_dir
