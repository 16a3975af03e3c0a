//! A workspace file shown in the page, as `service::workspaces::preview` made it: a table, an
//! image, text, Markdown or a read-only notebook, or a download for what has no preview.
//!
//! Markup from the server is inserted as is only where the service made it safe (rendered
//! Markdown). A notebook's own HTML output is untrusted: it is only ever the `srcdoc` of an
//! `<iframe sandbox="">`, where it runs no script and has no access to nuri's origin.

use entity::preview::{
    CellOutput, Delimiter, NotebookCell, Preview, TextEncoding, UnsupportedReason,
};
use leptos::prelude::*;

use crate::components::ui::EmptyState;
use crate::i18n::{use_i18n, I18n};
use crate::pages::workspaces::{tr, tr_count};

/// The preview of one file. `download_url` serves the file itself (images are shown from it);
/// `name` is the file's name, the text of an image for those who cannot see it.
#[component]
pub fn FilePreview(
    preview: Preview,
    #[prop(into)] download_url: String,
    #[prop(optional, into)] name: String,
) -> impl IntoView {
    let i = use_i18n();
    match preview {
        Preview::Table {
            delimiter,
            encoding,
            header,
            rows,
            numeric,
            truncated,
            more_columns,
        } => {
            let caption = TableCaption {
                rows: rows.len(),
                columns: header.len(),
                truncated,
                more_columns,
                encoding,
                delimiter,
            };
            table(i, caption.text(i), header, rows, numeric)
        }
        Preview::Image { .. } => {
            let alt = if name.is_empty() {
                tr(i, "preview.image").to_owned()
            } else {
                name
            };
            view! {
                <div class="preview-image">
                    <img src=download_url alt=alt />
                </div>
            }
            .into_any()
        }
        Preview::Text {
            text,
            encoding,
            truncated,
        } => text_view(i, text, encoding, truncated, download_url),
        Preview::Markdown { html, truncated } => view! {
            <div class="preview-markdown markdown" inner_html=html></div>
            {truncated.then(|| truncated_note(i, download_url))}
        }
        .into_any(),
        Preview::Notebook { cells, .. } => notebook(i, cells),
        Preview::Unsupported { reason } => view! {
            <EmptyState title=tr(i, unsupported_key(reason))>
                <a class="btn primary" href=download_url download="">{tr(i, "preview.download")}</a>
            </EmptyState>
        }
        .into_any(),
    }
}

/// What the line over a table says about it: "Showing the first 200 rows · CP949 · tab-separated".
struct TableCaption {
    rows: usize,
    columns: usize,
    truncated: bool,
    more_columns: bool,
    encoding: TextEncoding,
    delimiter: Delimiter,
}

impl TableCaption {
    fn text(&self, i: I18n) -> String {
        let rows = self.rows as u64;
        let mut parts = vec![if self.truncated {
            tr_count(i, "preview.first_rows", rows)
        } else {
            tr_count(i, "preview.rows", rows)
        }];
        if self.more_columns {
            parts.push(tr_count(i, "preview.first_columns", self.columns as u64));
        }
        parts.push(self.encoding.label().to_owned());
        parts.push(tr(i, delimiter_key(self.delimiter)).to_owned());
        parts.join(" · ")
    }
}

fn delimiter_key(delimiter: Delimiter) -> &'static str {
    match delimiter {
        Delimiter::Comma => "preview.delimiter.comma",
        Delimiter::Tab => "preview.delimiter.tab",
        Delimiter::Semicolon => "preview.delimiter.semicolon",
        Delimiter::Pipe => "preview.delimiter.pipe",
    }
}

fn unsupported_key(reason: UnsupportedReason) -> &'static str {
    match reason {
        UnsupportedReason::Binary => "preview.unsupported.binary",
        UnsupportedReason::NotebookTooLarge => "preview.unsupported.notebook_too_large",
        UnsupportedReason::InvalidNotebook => "preview.unsupported.invalid_notebook",
    }
}

fn table(
    i: I18n,
    caption: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    numeric: Vec<bool>,
) -> AnyView {
    if header.is_empty() {
        return view! { <p class="preview-note">{tr(i, "preview.empty")}</p> }.into_any();
    }
    let is_numeric = move |col: usize| numeric.get(col).copied().unwrap_or(false);
    let label = caption.clone();
    view! {
        <p class="preview-caption">{caption}</p>
        // Focusable, so a keyboard can scroll a table wider or longer than its box.
        <div class="preview-table" tabindex="0" role="region" aria-label=label>
            <table class="table">
                <thead>
                    <tr>
                        {header.into_iter().enumerate().map(|(col, h)| view! {
                            <th scope="col" class:num=is_numeric(col)>{h}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            {row.into_iter().enumerate().map(|(col, cell)| view! {
                                <td class:num=is_numeric(col)>{cell}</td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn text_view(
    i: I18n,
    text: String,
    encoding: TextEncoding,
    truncated: bool,
    download_url: String,
) -> AnyView {
    if text.is_empty() && !truncated {
        return view! { <p class="preview-note">{tr(i, "preview.empty")}</p> }.into_any();
    }
    // UTF-8 goes without saying; another encoding is worth knowing when the text looks odd.
    let encoding = (encoding != TextEncoding::Utf8).then(|| {
        view! { <p class="preview-caption">{tr(i, "preview.encoding")}": "{encoding.label()}</p> }
    });
    view! {
        {encoding}
        <pre class="preview-text"><code>{text}</code></pre>
        {truncated.then(|| truncated_note(i, download_url))}
    }
    .into_any()
}

fn truncated_note(i: I18n, download_url: String) -> impl IntoView {
    view! {
        <p class="preview-note">
            {tr(i, "preview.truncated")}" "
            <a href=download_url download="">{tr(i, "preview.download")}</a>
        </p>
    }
}

fn notebook(i: I18n, cells: Vec<NotebookCell>) -> AnyView {
    if cells.is_empty() {
        return view! { <p class="preview-note">{tr(i, "preview.empty_notebook")}</p> }.into_any();
    }
    view! {
        <div class="notebook">
            {cells.into_iter().map(|c| cell(i, c)).collect_view()}
        </div>
    }
    .into_any()
}

fn cell(i: I18n, cell: NotebookCell) -> AnyView {
    match cell {
        NotebookCell::Markdown { html } => {
            view! { <div class="nb-cell nb-markdown markdown" inner_html=html></div> }.into_any()
        }
        NotebookCell::Raw { text } => view! { <pre class="nb-cell nb-raw">{text}</pre> }.into_any(),
        NotebookCell::Code {
            source,
            execution_count,
            outputs,
        } => {
            let prompt = match execution_count {
                Some(n) => tr_count(i, "preview.in_prompt", n.into()),
                None => tr(i, "preview.in_prompt_not_run").to_owned(),
            };
            view! {
                <div class="nb-cell nb-code">
                    <div class="nb-input">
                        <span class="nb-prompt">{prompt}</span>
                        <pre class="nb-source"><code>{source}</code></pre>
                    </div>
                    {(!outputs.is_empty()).then(|| view! {
                        <div class="nb-outputs">
                            {outputs.into_iter().map(|o| output(i, o)).collect_view()}
                        </div>
                    })}
                </div>
            }
            .into_any()
        }
    }
}

fn output(i: I18n, output: CellOutput) -> AnyView {
    match output {
        CellOutput::Stream { name, text } => {
            view! { <pre class="nb-stream" class:nb-stderr=name == "stderr">{text}</pre> }
                .into_any()
        }
        CellOutput::Error {
            ename,
            evalue,
            traceback,
        } => view! {
            <div class="nb-error">
                <p class="nb-error-title"><strong>{ename}</strong>": "{evalue}</p>
                {(!traceback.is_empty()).then(|| view! { <pre>{traceback}</pre> })}
            </div>
        }
        .into_any(),
        CellOutput::Image { mime, data } => view! {
            <img class="nb-image" src=format!("data:{mime};base64,{data}") alt=tr(i, "preview.output_image") />
        }
        .into_any(),
        CellOutput::Text { text } => view! { <pre class="nb-text">{text}</pre> }.into_any(),
        CellOutput::Markdown { html } => {
            view! { <div class="nb-rich markdown" inner_html=html></div> }.into_any()
        }
        CellOutput::Html { html, plain } => html_output(i, html, plain),
    }
}

/// The notebook's own HTML, untrusted: in a frame with every sandbox restriction (no scripts,
/// forms, popups or same-origin access). The page's CSP also applies inside it.
fn html_output(i: I18n, html: String, plain: Option<String>) -> AnyView {
    view! {
        <iframe
            class="nb-html"
            sandbox=""
            srcdoc=html
            title=tr(i, "preview.html_output")
            referrerpolicy="no-referrer"
        ></iframe>
        {plain.map(|text| view! {
            <details class="nb-plain">
                <summary>{tr(i, "preview.as_text")}</summary>
                <pre class="nb-text">{text}</pre>
            </details>
        })}
    }
    .into_any()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn html(preview: Preview) -> String {
        let owner = Owner::new();
        owner.with(|| view! { <FilePreview preview download_url="/files/x" /> }.to_html())
    }

    #[test]
    fn a_notebooks_html_is_only_in_a_sandboxed_frame() {
        let out = html(Preview::Notebook {
            language: "python".into(),
            cells: vec![NotebookCell::Code {
                source: "df".into(),
                execution_count: Some(3),
                outputs: vec![CellOutput::Html {
                    html: "<b>x</b><script>alert(1)</script>".into(),
                    plain: Some("x".into()),
                }],
            }],
        });
        assert!(out.contains(r#"sandbox="""#), "{out}");
        // Kept, escaped, as the frame's document: never markup of the page.
        assert!(out.contains("srcdoc=") && out.contains("alert(1)"), "{out}");
        assert!(!out.contains("<script"), "{out}");
        assert!(out.contains("In [3]:"), "{out}");
    }

    #[test]
    fn a_table_has_its_caption_and_right_aligned_numbers() {
        let out = html(Preview::Table {
            delimiter: Delimiter::Tab,
            encoding: TextEncoding::Cp949,
            header: vec!["이름".into(), "나이".into()],
            rows: vec![vec!["김".into(), "31".into()]],
            numeric: vec![false, true],
            truncated: true,
            more_columns: false,
        });
        assert!(out.contains("처음 1행 표시 · CP949 · 탭으로 구분"), "{out}");
        assert!(out.contains(r#"<td class="num">31</td>"#), "{out}");
    }
}
