//! What a workspace file looks like in nuri: the preview the file browser shows without leaving
//! the page, built by `service::workspaces::preview` and sent to the page or over REST as JSON.
//!
//! Every string that is markup (`html` fields) is safe to insert into the page except
//! [`CellOutput::Html`], which is the notebook's own HTML and may only ever be shown inside a
//! sandboxed `<iframe>`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Preview {
    /// Delimited text (CSV, TSV, …): the first row as header, then the first rows of the file.
    Table {
        delimiter: Delimiter,
        encoding: TextEncoding,
        header: Vec<String>,
        /// Each as wide as `header` (short rows are padded with empty cells).
        rows: Vec<Vec<String>>,
        /// Per column: every non-empty cell is a number (the page right-aligns those).
        numeric: Vec<bool>,
        /// The file has more rows than `rows`.
        truncated: bool,
        /// Some rows have more columns than are shown.
        more_columns: bool,
    },
    /// Shown from the file's download URL, always as an image (an SVG never as inline markup).
    Image {
        mime: String,
    },
    Text {
        text: String,
        encoding: TextEncoding,
        truncated: bool,
    },
    /// Rendered Markdown, already safe to insert into the page.
    Markdown {
        html: String,
        truncated: bool,
    },
    Notebook {
        cells: Vec<NotebookCell>,
        /// The kernel's language (`python`, `r`, …), for the code cells.
        language: String,
    },
    Unsupported {
        reason: UnsupportedReason,
    },
}

/// The character between the fields of a [`Preview::Table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Delimiter {
    Comma,
    Tab,
    Semicolon,
    Pipe,
}

impl Delimiter {
    pub const ALL: [Delimiter; 4] = [
        Delimiter::Comma,
        Delimiter::Tab,
        Delimiter::Semicolon,
        Delimiter::Pipe,
    ];

    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Tab => b'\t',
            Delimiter::Semicolon => b';',
            Delimiter::Pipe => b'|',
        }
    }
}

/// How a text file was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// With or without a byte-order mark.
    Utf8,
    /// Excel's "Unicode text" export.
    Utf16Le,
    Utf16Be,
    /// Korean Windows' code page (a superset of EUC-KR): Excel's plain "CSV" on Korean Windows.
    Cp949,
}

impl TextEncoding {
    /// The name people know it by.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Cp949 => "CP949",
        }
    }
}

/// Why a file has no preview (the page offers the download instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnsupportedReason {
    /// Not text, nor an image we show.
    Binary,
    /// A notebook larger than what is read for a preview.
    NotebookTooLarge,
    /// Not nbformat 4 JSON.
    InvalidNotebook,
}

/// One cell of a Jupyter notebook, read-only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "cell_type", rename_all = "snake_case")]
pub enum NotebookCell {
    /// Rendered Markdown, already safe to insert into the page.
    Markdown { html: String },
    Code {
        source: String,
        /// `In [n]`; `None` when the cell was never run.
        execution_count: Option<u32>,
        outputs: Vec<CellOutput>,
    },
    /// A raw cell, shown as text.
    Raw { text: String },
}

/// What running a code cell showed, reduced to what the page can show safely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "output_type", rename_all = "snake_case")]
pub enum CellOutput {
    /// Printed text; `name` is `stdout` or `stderr`. Terminal colours are removed.
    Stream { name: String, text: String },
    /// An exception, its traceback without terminal colours.
    Error {
        ename: String,
        evalue: String,
        traceback: String,
    },
    /// A picture to show as `<img src="data:{mime};base64,{data}">` (an `<img>` never runs an
    /// SVG's scripts). `mime` is one of a fixed list; `data` is checked to be base64.
    Image { mime: String, data: String },
    /// Plain text (`text/plain`).
    Text { text: String },
    /// Markdown the code displayed, rendered and safe to insert into the page.
    Markdown { html: String },
    /// The notebook's own HTML (a pandas table, a widget): UNTRUSTED. Only ever shown inside
    /// `<iframe sandbox="" srcdoc=…>` (no scripts, no same-origin), never inserted into the page.
    /// `plain` is the same result as text, when the notebook has it.
    Html { html: String, plain: Option<String> },
}
