"""Sealed reports: the build's manifest, ``zwpj verify``'s separate checks, and PAdES signatures.

One sample evaluation is committed and built twice: without a key, and signed with a PKCS#12 key made
here (never a file of the repository). A one-byte change anywhere in a PDF or DOCX, a changed
property, or a revision added after the build makes ``verify`` exit 1 and name each check that no
longer holds; an untouched report passes every check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from buildlib import commit_all, git, make_repository
from click.testing import CliRunner

from generator.build.manifest import read_manifest
from generator.build.runner import BuildError, build
from generator.cli import main
from generator.render.report.sign import check_signature

pytestmark = pytest.mark.slow

EID = "2024-shexian-county"
PASSWORD = "口令-test"


def make_key(folder: Path, name: str = "测试评价机构报告签章") -> tuple[Path, Path]:
    """A self-signed certificate and its PKCS#12 file, made for this test only."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"), x509.NameAttribute(NameOID.COMMON_NAME, name)]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    p12, pem = folder / "key.p12", folder / "cert.pem"
    encryption = serialization.BestAvailableEncryption(PASSWORD.encode("utf-8"))
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"zwpj", key, cert, None, encryption))
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return p12, pem


def _repo(dest: Path) -> Path:
    root = make_repository(dest, [EID])
    commit_all(root)
    return root


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed repository built without a signing key."""
    root = _repo(tmp_path_factory.mktemp("plain") / "repo")
    assert build(root).site is not None
    return root


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A committed repository built with a signing key kept outside it; and the certificate."""
    base = tmp_path_factory.mktemp("signed")
    root = _repo(base / "repo")
    p12, pem = make_key(base / "secrets")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ZWPJ_SIGN_KEY", str(p12))
        mp.setenv("ZWPJ_SIGN_PASSWORD", PASSWORD)
        assert build(root).site is not None
    return root, pem


def verify(root: Path, *files: Path, extra: tuple[str, ...] = ()) -> tuple[int, str]:
    run = CliRunner().invoke(main, ["verify", *map(str, files), "--root", str(root), *extra])
    assert run.exception is None or isinstance(run.exception, SystemExit), run.exception
    return run.exit_code, run.output


def reports(root: Path) -> list[Path]:
    return [root / "site" / "reports" / f"{EID}{s}" for s in (".docx", ".pdf", "-pdfa.pdf")]


def failing(output: str) -> set[str]:
    return set(re.findall(r"^  ✗ ([^：]+)：", output, re.M))


FINGERPRINT = "报告指纹与仓库一致"
REBUILD = "与记录的提交重新生成的文件逐字节相同"
MANIFEST = "SHA-256 列在发布清单中"
SIGNATURE = "电子签名有效"


def test_manifest_lists_every_report_and_data_file_as_the_pages_show(plain: Path) -> None:
    site = plain / "site"
    listed = read_manifest(site / "manifest.json")
    by_path = {f.path: f for f in listed}
    for path in [
        *reports(plain),
        site / "data" / "evaluations" / f"{EID}.json",
        site / "data" / "all-scores.csv",
    ]:
        rel = path.relative_to(site).as_posix()
        assert by_path[rel].sha256 == hashlib.sha256(path.read_bytes()).hexdigest(), rel
    page = (site / "evaluations" / f"{EID}.html").read_text(encoding="utf-8")
    shown = set(re.findall(r"SHA-256 <code>([0-9a-f]{64})</code>", page))
    own = {f.sha256 for f in listed if EID in f.path}
    assert shown == own and len(own) == 5
    sums = (site / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sorted(sums) == sorted(f"{f.sha256}  {f.path}" for f in listed)


def test_untouched_reports_pass_every_check(plain: Path) -> None:
    code, output = verify(plain, *reports(plain))
    assert code == 0, output
    assert output.count(f"✓ {REBUILD}") == 3 and output.count(f"✓ {MANIFEST}") == 3
    assert output.count(f"✓ {FINGERPRINT}") == 3 and "– 电子签名：未签名" in output


@pytest.mark.parametrize("which", [0, 1, 2])
@pytest.mark.parametrize("where", [0.2, 0.5, 0.97])
def test_one_changed_byte_fails_rebuild_and_manifest(
    plain: Path, tmp_path: Path, which: int, where: float
) -> None:
    original = reports(plain)[which]
    data = bytearray(original.read_bytes())
    data[int(len(data) * where)] ^= 0x01
    copy = tmp_path / original.name
    copy.write_bytes(bytes(data))
    code, output = verify(plain, copy)
    assert code == 1, output
    assert {REBUILD, MANIFEST} <= failing(output) or "报告中没有报告指纹" in output or "无法读取" in output, (
        output
    )


def test_a_draft_relabelled_final_in_its_properties_is_caught(plain: Path, tmp_path: Path) -> None:
    docx = reports(plain)[0]
    copy = tmp_path / docx.name
    with zipfile.ZipFile(docx) as z, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist():
            content = z.read(item.filename)
            if item.filename == "docProps/custom.xml":
                text = content.decode("utf-8")
                status = re.search(r'name="ZwpjStatus"><vt:lpwstr>([^<]*)<', text)
                assert status, text
                content = text.replace(
                    status.group(0), status.group(0).replace(status.group(1), "正式稿（改）")
                ).encode()
            out.writestr(item, content)
    code, output = verify(plain, copy)
    assert code == 1 and {REBUILD, MANIFEST} <= failing(output), output
    assert FINGERPRINT not in failing(output)  # the fingerprint alone would not have seen it


def test_a_pdf_total_changed_in_place_is_caught(plain: Path, tmp_path: Path) -> None:
    pdf = reports(plain)[1]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.add_metadata({"/ZwpjStatus": "正式稿"})
    buf = io.BytesIO()
    writer.write(buf)
    copy = tmp_path / pdf.name
    copy.write_bytes(buf.getvalue())
    code, output = verify(plain, copy)
    assert code == 1 and {REBUILD, MANIFEST} <= failing(output), output


def test_a_changed_input_fails_the_fingerprint_but_the_rebuild_from_the_commit_holds(
    plain: Path, tmp_path: Path
) -> None:
    root = tmp_path / "moved"
    shutil.copytree(plain, root, symlinks=True)
    summary = root / "evaluations" / EID / "summary.md"
    summary.write_text(summary.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    git(root, "commit", "-qam", "edit", when="2020-02-03T00:00:00+00:00")
    code, output = verify(root, root / "site" / "reports" / f"{EID}.pdf")
    assert code == 1 and failing(output) == {FINGERPRINT}, output
    assert f"✓ {REBUILD}" in output and f"✓ {MANIFEST}" in output


def test_without_manifest_nor_rebuild_nothing_proves_the_content(plain: Path, tmp_path: Path) -> None:
    copy = tmp_path / "r.pdf"
    shutil.copy(reports(plain)[1], copy)
    shutil.copytree(plain, tmp_path / "repo", symlinks=True)
    shutil.rmtree(tmp_path / "repo" / "site")
    code, output = verify(tmp_path / "repo", copy, extra=("--no-rebuild",))
    assert code == 1 and "没有一项核验能证明文件内容" in output, output
    code, output = verify(
        tmp_path / "repo", copy, extra=("--manifest", str(plain / "site" / "manifest.json"))
    )
    assert code == 0, output


def test_signed_pdfs_validate_and_pass_every_check(signed: tuple[Path, Path]) -> None:
    root, cert = signed
    for path in reports(root)[1:]:
        check = check_signature(path.read_bytes(), [cert])
        assert check is not None and check.ok and check.trusted and check.whole_file, check
    code, output = verify(root, *reports(root), extra=("--trust", str(cert)))
    assert code == 0, output
    assert output.count(f"✓ {SIGNATURE}") == 2 and "其后只有一次签名修订" in output
    assert "测试评价机构报告签章" in output


def test_signed_pdf_fails_after_one_changed_byte(signed: tuple[Path, Path], tmp_path: Path) -> None:
    root, cert = signed
    for path in reports(root)[1:]:
        data = bytearray(path.read_bytes())
        data[len(data) // 3] ^= 0x01
        check = check_signature(bytes(data), [cert])
        assert check is not None and not check.ok, check
        copy = tmp_path / path.name
        copy.write_bytes(bytes(data))
        code, output = verify(root, copy, extra=("--trust", str(cert)))
        assert code == 1 and {SIGNATURE, REBUILD, MANIFEST} <= failing(output), output


def _forge(path: Path, p12: Path, out: Path) -> None:
    """What a forger does: add a revision that relabels the draft, and sign it with their own key."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    with path.open("rb") as fh:
        writer = IncrementalPdfFileWriter(fh, strict=False)
        info = writer.trailer["/Info"]
        info[generic.NameObject("/zwpjstatus")] = generic.TextStringObject("正式稿")
        writer.mark_update(writer.trailer.raw_get("/Info"))
        signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSWORD.encode("utf-8"))
        signed = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Forged"), signer=signer)
    out.write_bytes(signed.getvalue())


def test_a_signed_revision_over_changed_properties_is_not_taken_for_a_signature(
    plain: Path, signed: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyhanko.sign.signers.pdf_signer import PdfSigner

    p12, _ = make_key(tmp_path / "forger", "伪造者")
    forged = tmp_path / "forged.pdf"
    _forge(reports(plain)[1], p12, forged)  # the published report was not signed: the forger signs it
    code, output = verify(plain, forged)
    assert code == 1 and {REBUILD, MANIFEST} <= failing(output), output
    assert "不只是签名" in output and "/zwpjstatus" in output
    # A forger whose tool ignores the certification's "no changes" signs over the body's signature.
    monkeypatch.setattr(PdfSigner, "_enforce_certification_constraints", lambda self, reader: None)
    root, cert = signed
    _forge(reports(root)[1], p12, forged)
    code, output = verify(root, forged, extra=("--trust", str(cert)))
    assert code == 1 and {REBUILD, MANIFEST, SIGNATURE} <= failing(output), output


def test_signing_key_inside_the_repository_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repository(tmp_path / "repo", [EID])
    p12, _ = make_key(root / "keys")
    monkeypatch.setenv("ZWPJ_SIGN_KEY", str(p12))
    monkeypatch.setenv("ZWPJ_SIGN_PASSWORD", PASSWORD)
    with pytest.raises(BuildError, match="密钥和口令不得放入仓库"):
        build(root, audit=False)
    assert not (root / "site").exists()
    outside, _ = make_key(tmp_path / "secrets")
    monkeypatch.setenv("ZWPJ_SIGN_KEY", str(outside))
    monkeypatch.setenv("ZWPJ_SIGN_PASSWORD", "wrong")
    with pytest.raises(BuildError, match="口令不对"):
        build(root, audit=False)
    run = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert run.exit_code == 3 and "口令不对" in run.output and "Traceback" not in run.output


def test_manifest_is_stable_json(plain: Path) -> None:
    data = json.loads((plain / "site" / "manifest.json").read_text(encoding="utf-8"))
    assert data["format"] == "zwpj-manifest-1" and all(
        set(f) == {"path", "sha256", "bytes"} for f in data["files"]
    )
    assert [f["path"] for f in data["files"]] == sorted(f["path"] for f in data["files"])


def _pdf_with_root(root: bytes) -> bytes:
    """A minimal PDF whose trailer's /Root is object 1, written as ``root``."""
    head = b"%PDF-1.7\n"
    body = b"1 0 obj\n" + root + b"\nendobj\n"
    xref = b"xref\n0 2\n0000000000 65535 f \n" + f"{len(head):010d} 00000 n \n".encode()
    tail = b"trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n" + str(len(head) + len(body)).encode()
    return head + body + xref + tail + b"\n%%EOF\n"


@pytest.mark.parametrize(
    ("root", "kind"),
    [
        (b"<< /Type /Catalog /OutputIntents [] >>", "archive"),
        (b"<< /Type /Catalog >>", "pdf"),
        (b"42", "pdf"),
        (b"(a string)", "pdf"),
        (b"[1 2]", "pdf"),
    ],
)
def test_a_pdf_whose_catalogue_is_not_a_dictionary_is_told_apart_without_failing(
    root: bytes, kind: str
) -> None:
    from generator.render.report.verify import report_kind

    assert report_kind(Path("report.pdf"), _pdf_with_root(root)) == kind


def test_a_signature_whose_coverage_cannot_be_told_is_not_whole_file(
    signed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The validator may leave coverage and modification level unset: the check says not whole-file."""
    from pyhanko.sign import validation

    real = validation.validate_pdf_signature

    class Unsure:
        """The real status, except that coverage and modification level are unknown."""

        coverage = None
        modification_level = None

        def __init__(self, status: object) -> None:
            self.status = status

        def __getattr__(self, name: str) -> object:
            return getattr(self.status, name)

    def unsure(*args: object, **kwargs: object) -> object:
        return Unsure(real(*args, **kwargs))

    monkeypatch.setattr(validation, "validate_pdf_signature", unsure)
    root, cert = signed
    check = check_signature(reports(root)[1].read_bytes(), [cert])
    assert check is not None and check.intact and not check.whole_file and not check.ok, check
