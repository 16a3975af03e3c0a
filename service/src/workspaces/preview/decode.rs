//! Bytes to text: UTF-8 (with or without a byte-order mark), UTF-16 with its mark, or CP949 —
//! Excel on Korean Windows saves "CSV" in CP949 and "Unicode text" in UTF-16.

use encoding_rs::{Encoding, EUC_KR, UTF_16BE, UTF_16LE};

use super::TextEncoding;

pub(crate) struct Decoded {
    pub text: String,
    pub encoding: TextEncoding,
}

/// `head` as text, or `None` when it is not text. `cut`: the file goes on after `head`, so its
/// last character may be incomplete (and is dropped). `legacy`: the file is text by its type, so
/// UTF-16 and CP949 are tried too; a file of unknown type is text only as UTF-8.
pub(crate) fn decode(head: &[u8], cut: bool, legacy: bool) -> Option<Decoded> {
    let decoded = if let Some(rest) = head.strip_prefix(b"\xEF\xBB\xBF") {
        utf8(rest, cut)?
    } else if let (true, Some(rest)) = (legacy, head.strip_prefix(b"\xFF\xFE")) {
        utf16(rest, cut, UTF_16LE, TextEncoding::Utf16Le)
    } else if let (true, Some(rest)) = (legacy, head.strip_prefix(b"\xFE\xFF")) {
        utf16(rest, cut, UTF_16BE, TextEncoding::Utf16Be)
    } else if head.contains(&0) {
        return None;
    } else if let Some(text) = utf8(head, cut) {
        text
    } else if legacy {
        cp949(head, cut)?
    } else {
        return None;
    };
    looks_like_text(&decoded.text).then_some(decoded)
}

fn utf8(bytes: &[u8], cut: bool) -> Option<Decoded> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        // Only the last character is incomplete, because the head stops inside it.
        Err(e) if cut && e.error_len().is_none() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    Some(Decoded {
        text: text.to_owned(),
        encoding: TextEncoding::Utf8,
    })
}

fn utf16(bytes: &[u8], cut: bool, encoding: &'static Encoding, label: TextEncoding) -> Decoded {
    // A cut can split a code unit or a surrogate pair; a whole file's errors are its own.
    let bytes = if cut {
        &bytes[..bytes.len() - bytes.len() % 2]
    } else {
        bytes
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let mut text = text.into_owned();
    if cut && text.ends_with('\u{FFFD}') {
        text.pop();
    }
    Decoded {
        text,
        encoding: label,
    }
}

/// CP949 (encoding_rs' EUC-KR is the WHATWG one, which is CP949), refusing bytes it does not
/// map: those are not Korean text but something binary.
fn cp949(bytes: &[u8], cut: bool) -> Option<Decoded> {
    fn strict(b: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
        EUC_KR.decode_without_bom_handling_and_without_replacement(b)
    }
    let text = match strict(bytes) {
        Some(text) => text,
        // The head may stop between a character's two bytes.
        None if cut && !bytes.is_empty() => strict(&bytes[..bytes.len() - 1])?,
        None => return None,
    };
    Some(Decoded {
        text: text.into_owned(),
        encoding: TextEncoding::Cp949,
    })
}

/// Text has almost no control characters besides line breaks, tabs, form feeds and the escapes
/// of terminal colours (a log keeps those).
fn looks_like_text(text: &str) -> bool {
    let mut chars = 0usize;
    let mut controls = 0usize;
    for c in text.chars() {
        chars += 1;
        if c == '\0' {
            return false;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\x1b') {
            controls += 1;
        }
    }
    controls * 100 <= chars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoding(bytes: &[u8]) -> Option<TextEncoding> {
        decode(bytes, false, true).map(|d| d.encoding)
    }

    #[test]
    fn detects_each_encoding() {
        assert_eq!(encoding("a,b\n".as_bytes()), Some(TextEncoding::Utf8));
        assert_eq!(encoding(b"\xEF\xBB\xBFa"), Some(TextEncoding::Utf8));
        let (cp949, _, _) = EUC_KR.encode("이름,부서\n김민수,개발\n");
        let decoded = decode(&cp949, false, true).unwrap();
        assert_eq!(decoded.encoding, TextEncoding::Cp949);
        assert_eq!(decoded.text, "이름,부서\n김민수,개발\n");
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "이름\t부서".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let decoded = decode(&utf16, false, true).unwrap();
        assert_eq!(decoded.encoding, TextEncoding::Utf16Le);
        assert_eq!(decoded.text, "이름\t부서");
    }

    #[test]
    fn a_cut_cp949_character_is_dropped() {
        let (cp949, _, _) = EUC_KR.encode("가나다");
        let decoded = decode(&cp949[..5], true, true).unwrap();
        assert_eq!(decoded.encoding, TextEncoding::Cp949);
        assert_eq!(decoded.text, "가나");
    }

    #[test]
    fn unknown_types_are_text_only_as_utf8() {
        let (cp949, _, _) = EUC_KR.encode("가나다");
        assert!(decode(&cp949, false, false).is_none());
        assert!(decode(b"\x01\x02\x03\x04abc", false, true).is_none());
        assert!(decode(b"ok\0", false, true).is_none());
    }
}
