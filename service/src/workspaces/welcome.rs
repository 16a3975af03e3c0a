//! The files a new workspace starts with: a two-step example (clean the data, then analyse
//! it) over a small sales sample, explained in the person's language.
//!
//! The notebooks are assembled here so each code cell exists once for both languages: the
//! code lives in `welcome/NN_name.py` (cells split at `# %%` lines, as in Jupytext's percent
//! format), the prose in `welcome/{en,ko}/NN_name.md` (sections split at `<!-- cell -->`
//! lines). Prose and code alternate, prose first; one more prose section may close.

use serde_json::{json, Value};

struct Notebook {
    path: &'static str,
    /// Prefix of the cell ids, which nbformat 4.5 wants unique within a notebook.
    id: &'static str,
    code: &'static str,
    english: &'static str,
    korean: &'static str,
}

const NOTEBOOKS: [Notebook; 2] = [
    Notebook {
        path: "notebooks/01_clean.ipynb",
        id: "clean",
        code: include_str!("welcome/01_clean.py"),
        english: include_str!("welcome/en/01_clean.md"),
        korean: include_str!("welcome/ko/01_clean.md"),
    },
    Notebook {
        path: "notebooks/02_analyse.ipynb",
        id: "analyse",
        code: include_str!("welcome/02_analyse.py"),
        english: include_str!("welcome/en/02_analyse.md"),
        korean: include_str!("welcome/ko/02_analyse.md"),
    },
];

const SALES: &str = include_str!("welcome/sales.csv");
const README_EN: &str = include_str!("welcome/en/README.md");
const README_KO: &str = include_str!("welcome/ko/README.md");

const CODE_BREAK: &str = "\n# %%\n";
const PROSE_BREAK: &str = "\n<!-- cell -->\n";

/// Relative path (from the workspace root) and contents of every starter file.
pub fn files(korean: bool) -> Vec<(&'static str, Vec<u8>)> {
    let mut files: Vec<(&'static str, Vec<u8>)> = NOTEBOOKS
        .iter()
        .map(|notebook| (notebook.path, build(notebook, korean)))
        .collect();
    files.push(("data/sales.csv", SALES.as_bytes().to_vec()));
    let readme = if korean { README_KO } else { README_EN };
    files.push(("README.md", readme.as_bytes().to_vec()));
    files
}

fn build(notebook: &Notebook, korean: bool) -> Vec<u8> {
    let prose = if korean {
        notebook.korean
    } else {
        notebook.english
    };
    let mut prose = sections(prose, PROSE_BREAK);
    let mut cells = Vec::new();
    for code in sections(notebook.code, CODE_BREAK) {
        if let Some(text) = prose.next() {
            cells.push(("markdown", text));
        }
        cells.push(("code", code));
    }
    cells.extend(prose.map(|text| ("markdown", text)));
    let cells: Vec<Value> = cells
        .into_iter()
        .enumerate()
        .map(|(n, (kind, text))| cell(kind, &format!("{}-{}", notebook.id, n + 1), text))
        .collect();
    let mut bytes = serde_json::to_vec_pretty(&document(cells)).expect("JSON values serialise");
    bytes.push(b'\n');
    bytes
}

fn sections<'a>(text: &'a str, marker: &'a str) -> impl Iterator<Item = &'a str> {
    text.split(marker)
        .map(|section| section.trim_start_matches('\n').trim_end())
}

fn cell(kind: &str, id: &str, text: &str) -> Value {
    let source = lines(text);
    if kind == "code" {
        json!({
            "cell_type": "code", "execution_count": null, "id": id,
            "metadata": {}, "outputs": [], "source": source,
        })
    } else {
        json!({ "cell_type": "markdown", "id": id, "metadata": {}, "source": source })
    }
}

/// The source as Jupyter writes it: lines keeping their `\n`, the last one without.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

fn document(cells: Vec<Value>) -> Value {
    json!({
        "cells": cells,
        "metadata": {
            "kernelspec": { "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3" },
            "language_info": { "name": "python", "file_extension": ".py", "mimetype": "text/x-python" },
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notebook(korean: bool, path: &str) -> Value {
        let (_, bytes) = files(korean).into_iter().find(|(p, _)| *p == path).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    fn sources(notebook: &Value, kind: &str) -> Vec<String> {
        let cells = notebook["cells"].as_array().unwrap();
        let source = |c: &Value| {
            c["source"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect()
        };
        cells
            .iter()
            .filter(|c| c["cell_type"] == kind)
            .map(source)
            .collect()
    }

    #[test]
    fn every_file_parses_in_both_languages() {
        for korean in [false, true] {
            let files = files(korean);
            let paths: Vec<_> = files.iter().map(|(p, _)| *p).collect();
            assert_eq!(
                paths,
                [
                    "notebooks/01_clean.ipynb",
                    "notebooks/02_analyse.ipynb",
                    "data/sales.csv",
                    "README.md"
                ]
            );
            for (path, bytes) in &files {
                let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
                if path.ends_with(".ipynb") {
                    check_notebook(path, &serde_json::from_str(text).unwrap());
                } else if path.ends_with(".csv") {
                    check_sales(text);
                } else {
                    assert!(text.starts_with("# "), "{path} starts with a title");
                }
            }
        }
    }

    fn check_notebook(path: &str, notebook: &Value) {
        assert_eq!(notebook["nbformat"], 4, "{path}");
        assert_eq!(
            notebook["metadata"]["kernelspec"]["name"], "python3",
            "{path}"
        );
        let cells = notebook["cells"].as_array().unwrap();
        let mut ids = std::collections::HashSet::new();
        for cell in cells {
            assert!(
                ids.insert(cell["id"].as_str().unwrap()),
                "{path}: ids are unique"
            );
            let source = cell["source"].as_array().unwrap();
            assert!(!source.is_empty(), "{path}: no empty cell");
            assert!(
                !source.last().unwrap().as_str().unwrap().ends_with('\n'),
                "{path}"
            );
            if cell["cell_type"] == "code" {
                assert_eq!(cell["outputs"], json!([]), "{path}");
                assert!(cell["execution_count"].is_null(), "{path}");
            }
        }
        let (code, prose) = (
            sources(notebook, "code").len(),
            sources(notebook, "markdown").len(),
        );
        assert!(
            code >= 3 && (prose == code || prose == code + 1),
            "{path}: {prose} prose, {code} code"
        );
        assert_eq!(
            cells[0]["cell_type"], "markdown",
            "{path} opens with its title"
        );
    }

    fn check_sales(text: &str) {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap(),
            vec!["date", "region", "product", "quantity", "unit_price"]
        );
        let rows: Vec<_> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 40);
        assert!(
            rows.iter().any(|r| r.iter().any(str::is_empty)),
            "a few blanks to clean"
        );
    }

    #[test]
    fn the_code_is_the_same_and_the_prose_differs_between_languages() {
        for path in ["notebooks/01_clean.ipynb", "notebooks/02_analyse.ipynb"] {
            let (english, korean) = (notebook(false, path), notebook(true, path));
            assert_eq!(sources(&english, "code"), sources(&korean, "code"));
            assert_ne!(sources(&english, "markdown"), sources(&korean, "markdown"));
            assert!(sources(&korean, "markdown")[0].contains("단계"));
        }
    }
}
