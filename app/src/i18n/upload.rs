//! The uploader's text (English, Korean): the drop zone and each file's progress and outcome.

pub fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "upload.hint" => (
            "Drop files here, or choose them: each one uploads at once.",
            "파일을 여기에 끌어다 놓거나 선택하세요. 바로 올라갑니다.",
        ),
        "upload.list" => ("Files being uploaded", "올리는 파일"),
        "upload.waiting" => ("Waiting", "기다리는 중"),
        "upload.uploading" => ("Uploading", "올리는 중"),
        "upload.done" => ("Uploaded", "올렸습니다"),
        "upload.failed" => ("Not uploaded", "올리지 못했습니다"),
        "upload.summary" => (
            "{done} of {total} uploaded.",
            "{total}개 중 {done}개를 올렸습니다.",
        ),
        "upload.summary_failed" => ("{n} could not be uploaded.", "{n}개는 올리지 못했습니다."),
        "upload.network" => (
            "The connection broke off before the file was sent.",
            "파일을 다 보내기 전에 연결이 끊겼습니다.",
        ),
        "upload.refused" => (
            "The server did not take the file (status {status}).",
            "서버가 파일을 받지 않았습니다(상태 {status}).",
        ),
        _ => return None,
    })
}
