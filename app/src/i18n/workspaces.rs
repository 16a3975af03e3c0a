//! The workspaces pages' text (English, Korean): workspaces, files, JupyterLab, runs.

pub fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "workspaces.title" => ("Workspaces", "분석 공간"),
        "workspaces.lead" => (
            "Your own folders of notebooks and data, with JupyterLab one click away. Only you can open them.",
            "노트북과 데이터를 담는 나만의 폴더입니다. JupyterLab을 바로 열 수 있으며, 본인만 열어 볼 수 있습니다.",
        ),
        "workspaces.empty" => (
            "No workspace yet. Make one to start: it comes with notebooks that show the way.",
            "아직 분석 공간이 없습니다. 하나 만들어 시작하세요. 사용법을 보여 주는 노트북이 함께 들어 있습니다.",
        ),
        "workspaces.create" => ("New workspace", "새 분석 공간"),
        "workspaces.create_submit" => ("Create workspace", "분석 공간 만들기"),
        "workspaces.usage" => ("{used} of {quota} used", "{quota} 중 {used} 사용"),
        "workspaces.usage_label" => ("Space used", "사용한 공간"),
        "workspaces.back" => ("← All workspaces", "← 분석 공간 목록"),
        "workspaces.settings" => ("Rename", "이름 바꾸기"),
        "workspaces.delete" => ("Delete workspace", "분석 공간 삭제"),
        "workspaces.delete_warning" => (
            "Its files, notebooks and runs are deleted for good, and its JupyterLab is stopped.",
            "파일, 노트북, 실행 기록이 모두 영구히 삭제되고 JupyterLab도 중지됩니다.",
        ),
        "workspaces.delete_confirm" => (
            "Type {name} to confirm",
            "확인을 위해 {name}을(를) 입력하세요",
        ),
        "workspaces.delete_submit" => ("Delete for good", "영구 삭제"),
        "workspaces.admin_lead" => (
            "Every workspace of the people you look after: whose it is, the space it takes and its JupyterLab. Its files stay private to its owner.",
            "관리하는 사람들의 모든 분석 공간입니다. 소유자, 차지하는 공간, JupyterLab 상태를 볼 수 있으며 파일은 소유자만 볼 수 있습니다.",
        ),
        "workspaces.admin_empty" => ("No one has a workspace yet.", "아직 분석 공간을 만든 사람이 없습니다."),
        "workspaces.admin_total" => ("Workspaces", "분석 공간"),
        "workspaces.admin_active" => ("JupyterLab running", "실행 중인 JupyterLab"),
        "workspaces.admin_owner" => ("Owner", "소유자"),
        "workspaces.admin_size" => ("Size", "크기"),
        "workspaces.admin_created" => ("Created", "만든 날"),
        "workspaces.admin_pages" => ("Pages of workspaces", "분석 공간 페이지"),
        "workspaces.admin_stopped" => ("JupyterLab is stopping.", "JupyterLab을 중지하는 중입니다."),
        "files.title" => ("Files", "파일"),
        "files.breadcrumbs" => ("Folders", "폴더 경로"),
        "files.size" => ("Size", "크기"),
        "files.modified" => ("Modified", "수정한 날"),
        "files.folder" => ("(folder)", "(폴더)"),
        "files.empty" => ("This folder is empty.", "빈 폴더입니다."),
        "files.download" => ("Download", "내려받기"),
        "files.download_folder" => ("Download as zip", "zip으로 내려받기"),
        "files.new_folder" => ("New folder name", "새 폴더 이름"),
        "files.new_folder_submit" => ("Make folder", "폴더 만들기"),
        "files.move_to" => ("Rename or move to", "새 이름 또는 옮길 경로"),
        "files.move_submit" => ("Rename / move", "이름 바꾸기 / 옮기기"),
        "files.delete_confirm" => ("Delete {name}?", "{name}을(를) 삭제할까요?"),
        "files.delete_file_warning" => (
            "The file is deleted for good.",
            "파일이 영구히 삭제됩니다.",
        ),
        "files.delete_folder_warning" => (
            "The folder and everything in it are deleted for good.",
            "폴더와 그 안의 모든 파일이 영구히 삭제됩니다.",
        ),
        "files.upload_label" => ("Upload files", "파일 올리기"),
        "files.upload_submit" => ("Upload", "올리기"),
        "files.uploaded" => ("{n} files uploaded.", "파일 {n}개를 올렸습니다."),
        "files.uploaded.one" => ("1 file uploaded.", "파일 1개를 올렸습니다."),
        "jupyter.title" => ("JupyterLab", "JupyterLab"),
        "jupyter.stopped" => ("Stopped", "중지됨"),
        "jupyter.starting" => ("Starting", "시작 중"),
        "jupyter.running" => ("Running", "실행 중"),
        "jupyter.stopping" => ("Stopping", "중지 중"),
        "jupyter.failed" => ("Failed to start", "시작 실패"),
        "jupyter.start" => ("Start JupyterLab", "JupyterLab 시작"),
        "jupyter.stop" => ("Stop", "중지"),
        "jupyter.open" => ("Open JupyterLab", "JupyterLab 열기"),
        "jupyter.open_here" => ("Show here", "이 화면에서 보기"),
        "jupyter.hide_here" => ("Hide", "숨기기"),
        "jupyter.wait" => ("One moment…", "잠시만 기다려 주세요…"),
        "jupyter.since" => ("Running since", "실행 시작"),
        "jupyter.last_activity" => ("Last activity", "마지막 활동"),
        "jupyter.steps" => ("Progress", "진행 상황"),
        "jupyter.failed_why" => (
            "JupyterLab did not start. The end of its log:",
            "JupyterLab이 시작되지 않았습니다. 로그의 마지막 부분입니다:",
        ),
        "jupyter.step.queued" => ("Asked to start", "시작 요청"),
        "jupyter.step.port" => ("Port reserved", "포트 확보"),
        "jupyter.step.spawned" => ("Server started", "서버 시작"),
        "jupyter.step.ready" => ("Ready", "준비 완료"),
        "jupyter.step.stopped" => ("Stopped", "중지됨"),
        "jupyter.step.failed" => ("Failed", "실패"),
        "runs.title" => ("Notebook runs", "노트북 실행"),
        "runs.lead" => (
            "Runs the ticked notebooks in order, saving each one's results for the next. A failing notebook stops the run.",
            "선택한 노트북을 순서대로 실행하고 결과를 저장해 다음 노트북이 이어 씁니다. 노트북 하나가 실패하면 실행을 멈춥니다.",
        ),
        "runs.no_notebooks" => (
            "Put notebooks (.ipynb) in notebooks/ to run them here.",
            "notebooks/ 폴더에 노트북(.ipynb)을 넣으면 여기서 실행할 수 있습니다.",
        ),
        "runs.choose" => ("Notebooks, in order", "실행할 노트북 (순서대로)"),
        "runs.start" => ("Run", "실행"),
        "runs.queued" => ("Queued", "대기 중"),
        "runs.running" => ("Running", "실행 중"),
        "runs.succeeded" => ("Succeeded", "성공"),
        "runs.failed" => ("Failed", "실패"),
        "runs.skipped" => ("Skipped", "건너뜀"),
        "runs.failed_cell" => ("Failed at cell {n}", "{n}번째 셀에서 실패"),
        _ => return None,
    })
}

/// The workspace pages' tables together: workspaces, file previews, the uploader.
pub fn area(key: &str) -> Option<(&'static str, &'static str)> {
    lookup(key)
        .or_else(|| super::preview::lookup(key))
        .or_else(|| super::upload::lookup(key))
}
