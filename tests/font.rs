//! The shipped CJK font covers every character the content and the interface use.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::root;

fn chars_in(dir: &Path, ext: &str, out: &mut BTreeSet<char>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            chars_in(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.extend(std::fs::read_to_string(&path).unwrap().chars());
        }
    }
}

#[test]
fn shipped_font_covers_every_character_in_dialogues() {
    let data = std::fs::read(root().join("assets/fonts/NotoSansSC-DojoSubset.otf")).unwrap();
    let face = ttf_parser::Face::parse(&data, 0).expect("the shipped font parses");
    let mut used = BTreeSet::new();
    chars_in(&root().join("dialogues"), "ron", &mut used);
    chars_in(&root().join("src/game"), "rs", &mut used);
    let missing: String = used
        .into_iter()
        .filter(|c| !c.is_control())
        .filter(|&c| face.glyph_index(c).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "the font lacks {} character(s): {missing:?}\nregenerate it: python3 assets/fonts/make_subset.py (see assets/fonts/README.md)",
        missing.chars().count()
    );
}
