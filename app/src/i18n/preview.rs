//! The file preview's text (English, Korean).

pub fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "preview.rows" => ("{n} rows", "{n}행"),
        "preview.rows.one" => ("{n} row", "{n}행"),
        "preview.first_rows" => ("Showing the first {n} rows", "처음 {n}행 표시"),
        "preview.first_rows.one" => ("Showing the first row", "처음 1행 표시"),
        "preview.first_columns" => ("first {n} columns", "처음 {n}열"),
        "preview.first_columns.one" => ("first column", "처음 1열"),
        "preview.delimiter.comma" => ("comma-separated", "쉼표로 구분"),
        "preview.delimiter.tab" => ("tab-separated", "탭으로 구분"),
        "preview.delimiter.semicolon" => ("semicolon-separated", "세미콜론으로 구분"),
        "preview.delimiter.pipe" => ("pipe-separated", "세로 막대(|)로 구분"),
        "preview.encoding" => ("Encoding", "인코딩"),
        "preview.empty" => ("This file is empty.", "빈 파일입니다."),
        "preview.empty_notebook" => (
            "This notebook has no cells.",
            "이 노트북에는 셀이 없습니다.",
        ),
        "preview.truncated" => (
            "Only the beginning of the file is shown.",
            "파일의 앞부분만 표시합니다.",
        ),
        "preview.download" => ("Download", "다운로드"),
        "preview.image" => ("Image preview", "이미지 미리 보기"),
        "preview.output_image" => ("Output image", "출력 이미지"),
        "preview.in_prompt" => ("In [{n}]:", "In [{n}]:"),
        "preview.in_prompt_not_run" => ("In [ ]:", "In [ ]:"),
        "preview.html_output" => (
            "HTML output (scripts do not run)",
            "HTML 출력 (스크립트는 실행되지 않습니다)",
        ),
        "preview.as_text" => ("Show as text", "텍스트로 보기"),
        "preview.unsupported.binary" => (
            "This file cannot be previewed. Download it to open it.",
            "이 파일은 미리 볼 수 없습니다. 내려받아서 열어 보세요.",
        ),
        "preview.unsupported.notebook_too_large" => (
            "This notebook is too large to preview. Download it to open it.",
            "노트북이 너무 커서 미리 볼 수 없습니다. 내려받아서 열어 보세요.",
        ),
        "preview.unsupported.invalid_notebook" => (
            "This notebook cannot be read: it is not a Jupyter notebook in format 4.",
            "노트북을 읽을 수 없습니다. Jupyter 노트북 형식 4가 아닙니다.",
        ),
        _ => return None,
    })
}
