"""CSV encodings: UTF-8 with or without BOM, GB18030/GBK detected, anything else refused by name."""
import pandas as pd
import pytest

from nzc_report.dataset import load_dataset
from nzc_report.dataset.schema import TABLES
from nzc_report.errors import DatasetError


def _reencode(folder, encoding, bom=b""):
    for f in folder.glob("*.csv"):
        f.write_bytes(bom + f.read_text(encoding="utf-8").encode(encoding))


def _same_tables(a, b):
    for name in TABLES:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    assert a.meta == b.meta


@pytest.mark.parametrize("encoding,bom", [("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("gbk", b"")])
def test_encodings_read_the_same(tiny_dir, tiny_copy, encoding, bom):
    _reencode(tiny_copy, encoding, bom)
    assert (tiny_copy / "zones.csv").read_bytes() != (tiny_dir / "zones.csv").read_bytes()
    _same_tables(load_dataset(tiny_dir), load_dataset(tiny_copy))


def test_gb18030_four_byte_characters(tiny_copy):
    # 𠀀 (U+20000) exists in GB18030 only as a four-byte sequence, not in GBK
    text = (tiny_copy / "zones.csv").read_text(encoding="utf-8").replace("甲镇（测试）", "𠀀镇（测试）")
    (tiny_copy / "zones.csv").write_bytes(text.encode("gb18030"))
    assert load_dataset(tiny_copy).zone("alpha")["name"] == "𠀀镇（测试）"


def test_excel_csv_utf8_with_crlf(tiny_dir, tiny_copy):
    for f in tiny_copy.glob("*.csv"):
        f.write_bytes(b"\xef\xbb\xbf" + f.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    _same_tables(load_dataset(tiny_dir), load_dataset(tiny_copy))


def test_gbk_bytes_that_only_make_private_use_characters_are_refused(tiny_copy):
    data = (tiny_copy / "zones.csv").read_text(encoding="utf-8").encode("gb18030")
    offset = data.index("甲镇".encode("gb18030"))
    (tiny_copy / "zones.csv").write_bytes(data[:offset] + b"\xaa\xa1" + data[offset:])
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy, lang="en")
    assert [str(p) for p in info.value.errors] == [
        f"zones.csv: file is not UTF-8, and read as GB18030/GBK it gives private-use characters "
        f"(offset {offset}); its encoding is neither (tried: UTF-8, UTF-8 with BOM, GB18030/GBK): save it as \"CSV UTF-8\""]


def test_a_utf8_file_is_never_read_as_gbk(tiny_copy):
    # these UTF-8 bytes would also decode as GB18030, into different characters
    text = (tiny_copy / "zones.csv").read_text(encoding="utf-8").replace("甲镇（测试）", "浙江")
    (tiny_copy / "zones.csv").write_text(text, encoding="utf-8")
    assert "浙江".encode().decode("gb18030") != "浙江"
    assert load_dataset(tiny_copy).zone("alpha")["name"] == "浙江"


def test_encoding_problems_are_in_chinese_too(tiny_copy):
    (tiny_copy / "emissions.csv").write_bytes("zone_id,year\n".encode("utf-16"))
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy, lang="zh")
    assert [str(p) for p in info.value.errors] == [
        "emissions.csv: 文件为 UTF-16 编码（以 UTF-16 字节序标记开头），不是 UTF-8 或 GB18030/GBK"
        "（已尝试：UTF-8, UTF-8 with BOM, GB18030/GBK）；请另存为“CSV UTF-8”"]
