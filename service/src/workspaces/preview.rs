//! Previews of workspace files: what the file browser shows without leaving nuri.
//!
//! [`preview`] is pure: the caller reads the first [`head_limit`] bytes of the file and passes them
//! with the file's size, so a cut file is known to be cut. The kind comes from the extension, then
//! from the bytes (a `.txt` that is really a table, a file of unknown type that is UTF-8 text).

mod decode;
mod notebook;
mod table;

pub use entity::preview::{
    CellOutput, Delimiter, NotebookCell, Preview, TextEncoding, UnsupportedReason,
};

use decode::{decode, Decoded};

/// How much of a file is read for a preview (the table's rows, the text shown).
pub const PREVIEW_BYTES: usize = 2 * 1024 * 1024;
/// A notebook is read whole up to this size: half a notebook is not JSON, and its pictures are
/// inside it.
pub const NOTEBOOK_PREVIEW_BYTES: usize = 20 * 1024 * 1024;
/// The most text shown of a text or Markdown file.
pub const TEXT_BYTES: usize = 200 * 1024;

const IMAGES: [(&str, &str); 6] = [
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    // Shown only as an image (`<img>` runs no script); never put into the page as markup.
    ("svg", "image/svg+xml"),
];

// Text whose extension says so, read also when it is not UTF-8 (CP949 on Korean Windows).
const TEXT_EXTENSIONS: [&str; 30] = [
    "txt", "log", "py", "r", "jl", "sql", "json", "jsonl", "ndjson", "yaml", "yml", "toml", "ini",
    "cfg", "conf", "xml", "html", "htm", "css", "js", "ts", "sh", "bash", "env", "rst", "tex",
    "ipy", "rmd", "qmd", "dat",
];

/// How many bytes from the start of the file named `name` to read for [`preview`]: nothing for an
/// image (the page shows it from its download URL), a whole notebook up to
/// [`NOTEBOOK_PREVIEW_BYTES`], [`PREVIEW_BYTES`] of anything else.
pub fn head_limit(name: &str) -> usize {
    let ext = extension(name);
    if image_mime(&ext).is_some() {
        0
    } else if ext == "ipynb" {
        NOTEBOOK_PREVIEW_BYTES
    } else {
        PREVIEW_BYTES
    }
}

/// The preview of the file named `name`, of `total_size` bytes, from its first bytes `head`
/// (see [`head_limit`]; a shorter head than the file means the file was cut there).
pub fn preview(name: &str, head: &[u8], total_size: u64) -> Preview {
    let ext = extension(name);
    let cut = (head.len() as u64) < total_size;
    if let Some(mime) = image_mime(&ext) {
        return Preview::Image {
            mime: mime.to_owned(),
        };
    }
    match ext.as_str() {
        "ipynb" => notebook::preview(head, cut),
        "csv" => table_or_binary(head, cut, Delimiter::Comma),
        "tsv" | "tab" => table_or_binary(head, cut, Delimiter::Tab),
        "md" | "markdown" => match decode(head, cut, true) {
            Some(decoded) => markdown(decoded, cut),
            None => binary(),
        },
        // A `.txt` is often a spreadsheet saved as text: a table when it reads as one.
        "txt" => match decode(head, cut, true) {
            Some(decoded) => table::sniffed(&decoded, cut).unwrap_or_else(|| text(decoded, cut)),
            None => binary(),
        },
        _ => {
            let known_text = TEXT_EXTENSIONS.contains(&ext.as_str());
            match decode(head, cut, known_text) {
                Some(decoded) => text(decoded, cut),
                None => binary(),
            }
        }
    }
}

/// The extension in lower case (`""` without one; a leading dot does not start one).
fn extension(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

fn image_mime(ext: &str) -> Option<&'static str> {
    IMAGES
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, mime)| *mime)
}

fn binary() -> Preview {
    Preview::Unsupported {
        reason: UnsupportedReason::Binary,
    }
}

fn table_or_binary(head: &[u8], cut: bool, by_extension: Delimiter) -> Preview {
    match decode(head, cut, true) {
        Some(decoded) => table::table(&decoded, cut, by_extension),
        None => binary(),
    }
}

fn text(decoded: Decoded, cut: bool) -> Preview {
    let (text, capped) = cap(decoded.text, TEXT_BYTES);
    Preview::Text {
        text,
        encoding: decoded.encoding,
        truncated: cut || capped,
    }
}

fn markdown(decoded: Decoded, cut: bool) -> Preview {
    let (source, capped) = cap(decoded.text, TEXT_BYTES);
    Preview::Markdown {
        html: crate::markdown::to_safe_html(&source),
        truncated: cut || capped,
    }
}

/// At most `max` bytes of `text`, cut at a character boundary; whether anything was cut.
pub(crate) fn cap(mut text: String, max: usize) -> (String, bool) {
    if text.len() <= max {
        return (text, false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    (text, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(name: &str, bytes: &[u8]) -> Preview {
        preview(name, bytes, bytes.len() as u64)
    }

    #[test]
    fn the_extension_picks_the_kind_whatever_its_case() {
        assert_eq!(extension("data/Sales.CSV"), "csv");
        assert_eq!(extension(".bashrc"), "");
        assert_eq!(extension("README"), "");
        assert!(matches!(
            whole("a/Photo.JPG", b""),
            Preview::Image { mime } if mime == "image/jpeg"
        ));
        assert_eq!(head_limit("x.png"), 0);
        assert_eq!(head_limit("x.ipynb"), NOTEBOOK_PREVIEW_BYTES);
        assert_eq!(head_limit("x.csv"), PREVIEW_BYTES);
    }

    #[test]
    fn an_svg_is_only_ever_an_image() {
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
        assert_eq!(
            whole("logo.svg", svg),
            Preview::Image {
                mime: "image/svg+xml".into()
            }
        );
    }

    #[test]
    fn markdown_is_rendered_without_its_scripts() {
        let Preview::Markdown { html, truncated } =
            whole("README.md", b"# Hi\n\n<script>alert(1)</script>\n")
        else {
            panic!("not markdown");
        };
        assert!(html.contains("<h1>Hi</h1>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!truncated);
    }

    #[test]
    fn source_and_unknown_utf8_files_are_text() {
        for name in ["main.py", "config.yaml", "Makefile", "notes.weird"] {
            let Preview::Text {
                text, truncated, ..
            } = whole(name, "print('안녕')\n".as_bytes())
            else {
                panic!("{name} is not text");
            };
            assert_eq!(text, "print('안녕')\n");
            assert!(!truncated);
        }
    }

    #[test]
    fn long_text_is_capped_at_a_character_boundary() {
        let long = "가".repeat(TEXT_BYTES); // three bytes each
        let Preview::Text {
            text, truncated, ..
        } = whole("long.log", long.as_bytes())
        else {
            panic!("not text");
        };
        assert!(truncated);
        assert!(text.len() <= TEXT_BYTES && text.chars().all(|c| c == '가'));
    }

    #[test]
    fn a_cut_text_file_is_truncated_without_a_broken_character() {
        let bytes = "안녕하세요".as_bytes();
        let Preview::Text {
            text, truncated, ..
        } = preview("hello.txt", &bytes[..7], bytes.len() as u64)
        else {
            panic!("not text");
        };
        assert_eq!(text, "안녕");
        assert!(truncated);
    }

    #[test]
    fn binary_files_are_unsupported() {
        let png_like = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0";
        for name in ["data.parquet", "data.csv", "notes.txt", "model.pkl"] {
            assert_eq!(
                whole(name, png_like),
                Preview::Unsupported {
                    reason: UnsupportedReason::Binary
                },
                "{name}"
            );
        }
        // Not UTF-8 and of no text type: not guessed to be CP949.
        assert_eq!(
            whole("blob.bin", b"\xb0\xa1\xff\xfe\x80"),
            Preview::Unsupported {
                reason: UnsupportedReason::Binary
            }
        );
    }
}
