"""Place names as a jieba user dictionary keep 七星街道 whole in segmentation."""

import jieba

from regions.jieba_dict import write_user_dict


def test_user_dict_keeps_place_names_whole(gazetteer, tmp_path):
    path = write_user_dict(tmp_path / "places.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    words = {line.split()[0] for line in lines}
    assert {"七星街道", "硖石街道", "上礼泉村", "新昌", "江干区", "干𬒗镇"} <= words
    assert "西湖" not in words and "市辖区" not in words
    assert all(line.endswith(" ns") for line in lines)

    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(path))
    assert "七星街道" in tokenizer.lcut("新昌县七星街道上礼泉村")
    assert "上礼泉村" in tokenizer.lcut("新昌县七星街道上礼泉村")
