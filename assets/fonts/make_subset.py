#!/usr/bin/env python3
"""Regenerate assets/fonts/NotoSansSC-DojoSubset.otf from Noto Sans CJK SC.

The game embeds this font as Bevy's default font, so every text node can show Chinese, Latin
and the ¥ sign. The subset keeps: all of GB2312 (6,763 hanzi and its symbols), ASCII and
Latin-1, general and CJK punctuation, full-width forms, arrows and check marks used by the
interface, plus every character found in dialogues/ and in the game's interface strings
(src/game/). Run it again after content adds characters outside GB2312; the test
`shipped_font_covers_every_character_in_dialogues` fails until you do.

Needs: fonttools (`pip install fonttools`) and the source font, e.g. Debian's fonts-noto-cjk
(`/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc`, face 2 is Simplified Chinese).

Usage: python3 assets/fonts/make_subset.py [path/to/NotoSansCJK-Regular.ttc]
"""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCE = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FACE_SC = 2  # in the .ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
OUT = ROOT / "assets" / "fonts" / "NotoSansSC-DojoSubset.otf"

chars = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
ranges = [
    (0x20, 0x7E), (0xA0, 0xFF),          # ASCII, Latin-1 (¥ is U+00A5)
    (0x2000, 0x206F),                    # general punctuation (— … “ ” ‘ ’)
    (0x2190, 0x21FF),                    # arrows
    (0x2460, 0x24FF),                    # circled numbers
    (0x25A0, 0x25FF), (0x2600, 0x26FF),  # shapes, symbols
    (0x2713, 0x2718),                    # check and cross marks
    (0x3000, 0x303F),                    # CJK punctuation
    (0xFF00, 0xFFEF),                    # full-width forms
]
for a, b in ranges:
    chars.update(chr(c) for c in range(a, b + 1))
for pattern, base in [("**/*.ron", ROOT / "dialogues"), ("**/*.rs", ROOT / "src" / "game")]:
    for path in base.glob(pattern):
        chars.update(path.read_text(encoding="utf-8"))
chars = sorted(c for c in chars if c.isprintable() or c == " ")
text_file = OUT.with_suffix(".chars.txt")
text_file.write_text("".join(chars), encoding="utf-8")
subprocess.run(
    [
        "pyftsubset", str(SOURCE), f"--font-number={FACE_SC}",
        f"--text-file={text_file}", f"--output-file={OUT}",
        "--layout-features=*", "--name-IDs=*", "--name-languages=*", "--notdef-outline",
        "--no-hinting",
    ],
    check=True,
)
text_file.unlink()
print(f"{OUT.relative_to(ROOT)}: {len(chars)} characters, {OUT.stat().st_size / 1e6:.2f} MB")
