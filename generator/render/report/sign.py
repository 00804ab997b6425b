"""PAdES signatures of the PDF reports with the evaluation body's own key (pyHanko), and their check.

A body that wants its PDFs signed keeps its PKCS#12 file (.p12/.pfx: private key and certificate)
outside the repository and names it in the environment of the build:

- ``ZWPJ_SIGN_KEY``: path of the PKCS#12 file;
- ``ZWPJ_SIGN_PASSWORD`` (or ``ZWPJ_SIGN_PASSWORD_FILE``, a file holding it): its password.

Both PDFs get a PAdES baseline signature (CAdES detached, SHA-256) over the whole file, as an
incremental update after the bytes the build laid out, so the unsigned report is a prefix of the
signed one. The tagged report's signature field is hidden (PDF/UA exempts hidden annotations from
tagging); the archival copy's is printable and not hidden, as PDF/A requires; both are invisible
(no page area).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from generator.paths import TooLarge, read_bounded

if TYPE_CHECKING:
    from pyhanko.pdf_utils.generic import DictionaryObject

KEY_ENV = "ZWPJ_SIGN_KEY"
PASSWORD_ENV = "ZWPJ_SIGN_PASSWORD"
PASSWORD_FILE_ENV = "ZWPJ_SIGN_PASSWORD_FILE"
FIELD = "ZwpjSignature"
"""Name of the signature field."""
logging.getLogger("pyhanko").setLevel(logging.ERROR)  # its notes on a file's history are not the reader's
logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)


class SigningError(Exception):
    """The signing key cannot be used: missing, unreadable, wrong password, or kept in the repository."""


@dataclass(frozen=True)
class SigningKey:
    """A body's PKCS#12 key, checked to load, and who it names."""

    path: Path
    """The PKCS#12 file (outside the repository)."""
    password: bytes
    """Its password."""
    certificate_sha256: str
    """SHA-256 of the signing certificate (DER), in hex: who signed, for the cache key and ``verify``."""
    subject: str
    """The certificate's subject, as people read it."""


def key_from_environment(repo_root: Path, environ: Mapping[str, str] | None = None) -> SigningKey | None:
    """The key the environment names, or None when none is configured; SigningError when unusable."""
    env = os.environ if environ is None else environ
    named = env.get(KEY_ENV, "").strip()
    if not named:
        return None
    path = _outside(Path(named), repo_root, "签名密钥文件")
    if PASSWORD_FILE_ENV in env and env[PASSWORD_FILE_ENV].strip():
        secret = _outside(Path(env[PASSWORD_FILE_ENV].strip()), repo_root, "签名密钥口令文件")
        try:
            password = read_bounded(secret, KEY_BYTES).rstrip(b"\r\n")
        except (OSError, TooLarge) as exc:
            raise SigningError(f"无法读取签名密钥口令文件 {secret}：{exc}") from exc
    else:
        password = env.get(PASSWORD_ENV, "").encode("utf-8")
    return load_key(path, password)


KEY_BYTES = 1 << 20
"""Largest key or password file read (a PKCS#12 file is a few KB; /dev/zero is refused)."""


def _outside(path: Path, repo_root: Path, what: str) -> Path:
    """The path resolved, refused when it or what it leads to is in the repository: a link kept in
    the repository would let the repository's content choose the key."""
    named = Path(os.path.normpath(path.expanduser().absolute()))
    resolved = path.expanduser().resolve()
    root = repo_root.resolve()
    if (
        resolved.is_relative_to(root)
        or named.is_relative_to(root)
        or named.is_relative_to(repo_root.absolute())
    ):
        raise SigningError(
            f"{what} {named} 在评价仓库中：密钥和口令不得放入仓库（会被提交或随站点发布），请移到仓库之外"
        )
    return resolved


def load_key(path: Path, password: bytes) -> SigningKey:
    """Load and check a PKCS#12 file; SigningError with the reason when it cannot be used."""
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    try:
        data = read_bounded(path, KEY_BYTES)  # a regular file only, counted while read
    except (OSError, TooLarge) as exc:
        raise SigningError(f"无法读取签名密钥文件 {path}：不是普通文件或大于 1 MB（{exc}）") from exc
    try:
        key, cert, _chain = pkcs12.load_key_and_certificates(data, password or None)
    except (ValueError, TypeError) as exc:
        raise SigningError(
            f"签名密钥文件 {path} 无法打开：口令不对，或不是 PKCS#12（.p12/.pfx）文件"
        ) from exc
    if key is None or cert is None:
        raise SigningError(f"签名密钥文件 {path} 中缺少私钥或证书")
    digest = hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()
    return SigningKey(path, password, digest, cert.subject.rfc4514_string())


def sign_pdf(path: Path, key: SigningKey, *, reason: str, archival: bool) -> None:
    """Sign the PDF at ``path`` in place (written whole, then renamed over the unsigned file)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(key.path), passphrase=key.password or None)
    if signer is None:
        raise SigningError(f"签名密钥文件 {key.path} 无法打开")
    invisible = fields.InvisSigSettings(set_print_flag=archival, set_hidden_flag=not archival)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    with path.open("rb") as unsigned:
        writer = IncrementalPdfFileWriter(unsigned, strict=False)
        spec = fields.SigFieldSpec(FIELD, invis_sig_settings=invisible)
        signed = signers.sign_pdf(writer, meta, signer=signer, new_field_spec=spec)
        data = signed.getvalue() if isinstance(signed, io.BytesIO) else signed.read()
    tmp = path.with_name(f".{path.name}.signing")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@dataclass(frozen=True)
class SignatureCheck:
    """What a PDF's signature proves."""

    intact: bool
    """The signed bytes are as signed and the signature matches the certificate's key."""
    whole_file: bool
    """It covers the whole file: nothing was added after signing."""
    trusted: bool | None
    """The certificate leads to a trusted one given to ``check_signature``; None when none was given."""
    signer: str
    """The certificate's subject."""
    certificate_sha256: str
    """SHA-256 of the signing certificate (DER)."""
    signed_at: dt.datetime | None
    """When the signer's clock says it signed (no time-stamp authority vouches for it)."""
    problem: str = ""
    """Why it does not hold, in Chinese; empty when intact and whole."""

    @property
    def ok(self) -> bool:
        """Intact, over the whole file, and trusted when trust was asked for."""
        return self.intact and self.whole_file and self.trusted is not False


def _named(level: Enum | None) -> str:
    """A validation level's name; "" when the validator could not tell it."""
    return level.name if level is not None else ""


def check_signature(data: bytes, trust: Sequence[Path] = ()) -> SignatureCheck | None:
    """The check of the PDF's last signature, or None when it carries none."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # a damaged file may fail anywhere in the parser
        return SignatureCheck(False, False, None, "", "", None, f"无法读取签名：{exc}")
    if not signatures:
        return None
    sig = signatures[-1]
    try:
        roots = [load_cert_from_pemder(str(p)) for p in trust]
    except Exception as exc:  # not a certificate: say so instead of failing
        return SignatureCheck(False, False, False, "", "", None, f"无法读取 --trust 给出的证书：{exc}")
    cert = sig.signer_cert
    digest = hashlib.sha256(cert.dump()).hexdigest() if cert is not None else ""
    subject = cert.subject.human_friendly if cert is not None else ""
    # Without certificates to trust, the signer's own stands in: integrity is checked, identity is not.
    anchors = roots or ([cert] if cert is not None else [])
    context = ValidationContext(trust_roots=anchors, allow_fetching=False)
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as exc:  # a damaged signature or file may fail anywhere in CMS or PDF parsing
        return SignatureCheck(False, False, None, subject, digest, None, f"签名无法验证：{exc}")
    whole = _named(status.coverage) == "ENTIRE_FILE" and _named(status.modification_level) == "NONE"
    trusted = status.trusted if roots else None
    problem = ""
    if not status.intact or not status.valid:
        problem = "签名与文件内容不符：签名之后文件被改动过，或签名本身被改动"
    elif not whole:
        problem = "签名之后文件又被追加或修改过内容"
    elif trusted is False:
        problem = "签名人证书不能追溯到所给的受信任证书"
    intact = status.intact and status.valid
    return SignatureCheck(intact, whole, trusted, subject, digest, status.signer_reported_dt, problem)


NEW_TYPES = {"/Sig", "/SigRef", "/TransformParams", "/XRef", "/Annot"}
"""Objects a signing revision may add (with the form dictionary that lists the field)."""
CHANGED_KEYS = {"/Catalog": {"/AcroForm", "/Perms", "/Metadata", "/Extensions"}, "/Page": {"/Annots"}}
"""Keys a signing revision may change in objects that were there before."""
INFO_KEYS = {"/Producer", "/ModDate"}
"""Document information a signing revision may change."""
XMP_KEYS = {
    "{http://ns.adobe.com/pdf/1.3/}Producer",
    "{http://ns.adobe.com/xap/1.0/}ModifyDate",
    "{http://ns.adobe.com/xap/1.0/}MetadataDate",
}
"""XMP properties a signing revision may change (pyHanko keeps the XMP in step with the document info)."""


def signing_revision_problem(data: bytes) -> str:
    """Why the revision after the first is more than a signature, in Chinese; empty when it is only that.

    A signature proves the bytes it covers, but whoever signs may also change objects in the same
    revision: a page's content, the document's properties. So the one revision allowed after the
    file as built adds the signature, its field and widget (invisible, with no appearance of its own)
    and changes nothing else but the form, the page's annotation list, the producer and the dates.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.xrefs.total_revisions != 2:
            return f"签名之外还有其他修订（共 {reader.xrefs.total_revisions} 次修订）"
        before = reader.get_historical_resolver(0)
        info = reader.trailer.raw_get("/Info")
        for ref in sorted(reader.xrefs.explicit_refs_in_revision(1), key=lambda r: r.idnum):
            now = reader.get_object(ref)
            try:
                old = before(ref)
            except PdfError:
                old = None
            if old is None or isinstance(old, generic.NullObject):
                problem = _added(now)
            else:
                is_info = isinstance(info, generic.IndirectObject) and info.reference == ref
                problem = _changed(old, now, is_info)
            if problem:
                return problem
    except Exception as exc:  # a damaged file may fail anywhere in the parser
        return f"无法读取签名修订：{exc}"
    return ""


def _added(obj: object) -> str:
    from pyhanko.pdf_utils import generic

    if isinstance(obj, generic.StreamObject) and obj.get("/Type") != "/XRef":
        return "签名修订加入了新的内容流"
    if not isinstance(obj, generic.DictionaryObject):
        return ""
    kind = obj.get("/Type")
    if kind is None and "/Fields" in obj:
        return ""  # the form dictionary
    if kind not in NEW_TYPES:
        return f"签名修订加入了 {kind or '未知'} 对象"
    if kind == "/Annot":
        rect = [float(x) for x in obj.get("/Rect", [0, 0, 0, 0])]
        if (
            obj.get("/Subtype") != "/Widget"
            or obj.get("/FT") != "/Sig"
            or rect[0] != rect[2]
            or rect[1] != rect[3]
        ):
            return "签名修订加入了可见的批注或控件"
        if "/AP" in obj:
            return "签名控件带有自己的外观"
    return ""


def _changed(old: object, now: object, is_info: bool) -> str:
    """What a signed revision changed in an object it rewrote (``is_info``: the document properties)."""
    from pyhanko.pdf_utils import generic

    if not isinstance(now, generic.DictionaryObject) or not isinstance(old, generic.DictionaryObject):
        return "签名修订改动了原有对象"
    if is_info:
        return _changed_keys(old, now, INFO_KEYS, "文档属性")
    kind = now.get("/Type")
    if (
        kind == "/Metadata"
        and isinstance(now, generic.StreamObject)
        and isinstance(old, generic.StreamObject)
    ):
        return "" if _xmp(old.data) == _xmp(now.data) else "签名修订改动了文档的 XMP 元数据"
    return _changed_keys(old, now, CHANGED_KEYS.get(str(kind), set()), f"{kind or '原有'}对象")


def _changed_keys(old: DictionaryObject, now: DictionaryObject, allowed: set[str], what: str) -> str:
    changed = {k for k in set(old) | set(now) if _raw(old, k) != _raw(now, k)} - allowed
    return f"签名修订改动了{what}中的 {'、'.join(sorted(changed))}" if changed else ""


def _raw(obj: DictionaryObject, key: str) -> object:
    """A dictionary entry as written (a reference stays a reference), or None."""
    return obj.raw_get(key) if key in obj else None


RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


def _xmp(data: bytes) -> dict[str, object]:
    """The XMP properties, however written (attribute or element), but those a signature may change."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    start, end = data.find(b"<x:xmpmeta"), data.rfind(b"</x:xmpmeta>")
    root = etree.fromstring(data[start : end + len(b"</x:xmpmeta>")], parser)
    found: dict[str, object] = {}
    for description in root.iter(RDF + "Description"):
        for key, value in description.attrib.items():
            if key != RDF + "about":
                found[key] = value
        for prop in description:
            items = tuple(
                (li.get("{http://www.w3.org/XML/1998/namespace}lang"), li.text)
                for li in prop.iter(RDF + "li")
            )
            found[prop.tag] = items or (prop.text or "").strip()
    return {k: v for k, v in found.items() if k not in XMP_KEYS}
