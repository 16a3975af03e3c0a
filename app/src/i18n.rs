//! Korean and English text. Keys are plain strings so a missing key shows itself (the key is
//! rendered) instead of failing the build; the test below checks every key has both languages.

use leptos::prelude::*;

use crate::error::AppError;
use crate::prefs::Locale;

mod forms;

#[derive(Debug, Clone, Copy)]
pub struct I18n {
    pub locale: Locale,
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or(I18n { locale: Locale::Ko })
}

impl I18n {
    pub fn t(self, key: &'static str) -> &'static str {
        match lookup(key) {
            Some((en, ko)) => match self.locale {
                Locale::En => en,
                Locale::Ko => ko,
            },
            None => key,
        }
    }

    /// A whole-form error in the reader's language.
    pub fn error(self, err: &AppError) -> String {
        let key = match err.code.as_str() {
            "invalid_credentials" => "error.invalid_credentials",
            "account_disabled" => "error.account_disabled",
            "sign_in_required" => "error.sign_in_required",
            "setup_token_invalid" => "error.setup_token_invalid",
            "forbidden" => "error.forbidden",
            "not-found" => "error.not_found",
            "rate-limited" => {
                let secs = err.retry_after_secs.unwrap_or(60);
                let minutes = secs.div_ceil(60);
                return match self.locale {
                    Locale::En => format!("Too many attempts. Try again in {minutes} min."),
                    Locale::Ko => {
                        format!("시도가 너무 많습니다. {minutes}분 후에 다시 시도하세요.")
                    }
                };
            }
            "network" | "unavailable" => "error.unavailable",
            "invalid" => "error.invalid",
            "conflict" => match err.fields.first().map(|f| f.code.as_str()) {
                Some("already_set_up") => "error.already_set_up",
                Some("not_empty") => "error.not_empty",
                Some("own_account") => "error.own_account",
                Some("changed_meanwhile") => "error.changed_meanwhile",
                Some("mentorship_closed") => "error.mentorship_closed",
                Some("already_following") => "field_error.already_following",
                Some("form_closed") => "error.form_closed",
                _ => "error.conflict",
            },
            _ => "error.internal",
        };
        self.t(key).to_owned()
    }

    /// A field error in the reader's language; English API text when the code is unknown here.
    pub fn field_error(self, code: &str, fallback: &str) -> String {
        let key = match code {
            "required" => "field_error.required",
            "too_short" => "field_error.too_short",
            "too_long" => "field_error.too_long",
            "control_characters" => "field_error.control_characters",
            "too_common" => "field_error.too_common",
            "same_as_email" => "field_error.same_as_email",
            "invalid_email" => "field_error.invalid_email",
            "taken" => "field_error.taken",
            "wrong_password" => "field_error.wrong_password",
            "unchanged" => "field_error.unchanged",
            "mismatch" => "field_error.mismatch",
            "not_a_mentor" => "field_error.not_a_mentor",
            "not_a_mentee" => "field_error.not_a_mentee",
            "same_person" => "field_error.same_person",
            "unknown" => "field_error.unknown",
            "inactive" => "field_error.inactive",
            "invalid_date" => "field_error.invalid_date",
            "already_following" => "field_error.already_following",
            "invalid_transition" => "field_error.invalid_transition",
            "invalid_role" => "field_error.invalid_role",
            "unknown_department" => "field_error.unknown_department",
            "duplicate" => "field_error.duplicate",
            "out_of_range" => "field_error.out_of_range",
            other => match forms::field_error_key(other) {
                Some(key) => key,
                None => return fallback.to_owned(),
            },
        };
        self.t(key).to_owned()
    }
}

/// (English, Korean)
fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "app.name" => ("nuri", "누리"),
        "app.tagline" => ("Where teams grow together", "함께 성장하는 팀의 공간"),
        "nav.dashboard" => ("Dashboard", "대시보드"),
        "nav.users" => ("People", "구성원"),
        "nav.departments" => ("Departments", "부서"),
        "nav.account" => ("Account", "계정"),
        "nav.curricula" => ("Curricula", "커리큘럼"),
        "nav.api_docs" => ("API", "API"),
        "nav.main" => ("Main navigation", "주 메뉴"),
        "nav.skip" => ("Skip to content", "본문으로 건너뛰기"),
        "action.logout" => ("Log out", "로그아웃"),
        "action.login" => ("Log in", "로그인"),
        "prefs.language" => ("Language", "언어"),
        "prefs.theme" => ("Theme", "테마"),
        "prefs.theme_light" => ("Light", "밝게"),
        "prefs.theme_dark" => ("Dark", "어둡게"),
        "prefs.theme_system" => ("System", "시스템"),
        "role.admin" => ("Admin", "관리자"),
        "role.mentor" => ("Mentor", "멘토"),
        "role.mentee" => ("Mentee", "멘티"),
        "field.email" => ("Email", "이메일"),
        "field.name" => ("Name", "이름"),
        "field.password" => ("Password", "비밀번호"),
        "field.role" => ("Role", "역할"),
        "field.company" => ("Company name", "회사 이름"),
        "field.current_password" => ("Current password", "현재 비밀번호"),
        "field.new_password" => ("New password", "새 비밀번호"),
        "field.password_hint" => ("At least 10 characters.", "10자 이상 입력하세요."),
        "login.title" => ("Log in", "로그인"),
        "login.submit" => ("Log in", "로그인"),
        "login.pending" => ("Logging in…", "로그인 중…"),
        "login.no_account" => ("No account? Register", "계정이 없나요? 가입하기"),
        "login.invite_only" => (
            "Accounts are created by your administrator.",
            "계정은 관리자가 만들어 드립니다.",
        ),
        "register.title" => ("Create your account", "계정 만들기"),
        "register.submit" => ("Create account", "계정 만들기"),
        "register.closed" => (
            "Registration is by invitation. Ask your administrator for an account.",
            "가입은 초대로만 가능합니다. 관리자에게 계정을 요청하세요.",
        ),
        "register.have_account" => (
            "Already have an account? Log in",
            "이미 계정이 있나요? 로그인",
        ),
        "setup.title" => ("Set up nuri", "누리 설정"),
        "setup.lead" => (
            "Create the first administrator account.",
            "첫 번째 관리자 계정을 만드세요.",
        ),
        "setup.submit" => ("Create administrator", "관리자 만들기"),
        "setup.company_hint" => ("You can change it later.", "나중에 바꿀 수 있습니다."),
        "setup.done" => ("nuri is already set up.", "누리는 이미 설정되었습니다."),
        "dashboard.title" => ("Dashboard", "대시보드"),
        "dashboard.welcome" => ("Welcome", "환영합니다"),
        "dashboard.role" => ("Your role", "내 역할"),
        "dashboard.member_since" => ("Member since", "가입일"),
        "dashboard.admin_lead" => (
            "Manage people and keep your organisation running.",
            "구성원을 관리하고 조직을 운영하세요.",
        ),
        "dashboard.mentor_lead" => (
            "Guide your mentees through their onboarding.",
            "멘티의 온보딩을 이끌어 주세요.",
        ),
        "dashboard.mentee_lead" => (
            "Your onboarding tasks will appear here.",
            "온보딩 과제가 여기에 표시됩니다.",
        ),
        "dashboard.must_change" => (
            "Your password was reset. Please choose a new one.",
            "비밀번호가 재설정되었습니다. 새 비밀번호를 정하세요.",
        ),
        "account.title" => ("Account", "계정"),
        "account.password" => ("Change password", "비밀번호 변경"),
        "account.password_submit" => ("Change password", "비밀번호 변경"),
        "account.password_changed" => (
            "Password changed. Other sessions were logged out.",
            "비밀번호를 변경했습니다. 다른 세션은 로그아웃되었습니다.",
        ),
        "account.everywhere" => ("Log out everywhere", "모든 기기에서 로그아웃"),
        "account.everywhere_lead" => (
            "Ends every session and API token of your account, including this one.",
            "이 세션을 포함해 계정의 모든 세션과 API 토큰을 종료합니다.",
        ),
        "users.title" => ("People", "구성원"),
        "users.create" => ("Add a person", "구성원 추가"),
        "users.create_submit" => ("Add", "추가"),
        "users.created" => ("Account created.", "계정을 만들었습니다."),
        "users.active" => ("Active", "활성"),
        "users.inactive" => ("Inactive", "비활성"),
        "users.empty" => ("Nobody matches.", "해당하는 구성원이 없습니다."),
        "users.status" => ("Status", "상태"),
        "import.title" => ("Import people from CSV", "CSV로 구성원 가져오기"),
        "import.back" => ("Back to people", "구성원 목록으로"),
        "import.lead" => (
            "One person per line, with a header row: email, name, role (admin, mentor or mentee), and optionally department and password. People without a password get a temporary one to change at first sign-in. Every row is checked first; an import writes all rows or none.",
            "한 줄에 한 명씩, 머리글 행과 함께 입력하세요: email, name, role(admin, mentor, mentee), 선택적으로 department와 password. 비밀번호가 없으면 임시 비밀번호가 만들어지며 첫 로그인 때 바꿔야 합니다. 모든 행을 먼저 확인하며, 가져오기는 전부 아니면 아무것도 저장하지 않습니다.",
        ),
        "import.csv" => ("CSV", "CSV"),
        "import.preview" => ("Check", "확인"),
        "import.import" => ("Import", "가져오기"),
        "import.done" => ("people imported.", "명을 가져왔습니다."),
        "import.temporary" => ("Temporary password", "임시 비밀번호"),
        "import.ready" => ("Every row is valid: ready to import.", "모든 행이 올바릅니다. 가져올 수 있습니다."),
        "import.fix" => ("Fix the highlighted rows; nothing was imported.", "표시된 행을 고치세요. 아무것도 가져오지 않았습니다."),
        "import.line" => ("Line", "줄"),
        "import.problems" => ("Problems", "문제"),
        "users.search" => ("Name or email", "이름 또는 이메일"),
        "users.search_submit" => ("Search", "검색"),
        "users.any" => ("Any", "전체"),
        "users.pages" => ("Pages", "페이지"),
        "users.previous" => ("Previous", "이전"),
        "users.next" => ("Next", "다음"),
        "users.deactivate" => ("Deactivate", "비활성화"),
        "users.activate" => ("Activate", "활성화"),
        "users.reset" => ("Reset password", "비밀번호 재설정"),
        "users.temporary_password" => (
            "Temporary password (shown once; they must change it at next sign-in):",
            "임시 비밀번호(한 번만 표시되며, 다음 로그인 때 변경해야 합니다):",
        ),
        "common.loading" => ("Loading…", "불러오는 중…"),
        "common.save" => ("Save", "저장"),
        "common.delete" => ("Delete", "삭제"),
        "common.actions" => ("Actions", "작업"),
        "field.description" => ("Description", "설명"),
        "departments.title" => ("Departments", "부서"),
        "departments.create" => ("Add a department", "부서 추가"),
        "departments.create_submit" => ("Add", "추가"),
        "departments.created" => ("Department added.", "부서를 추가했습니다."),
        "departments.renamed" => ("Department renamed.", "부서 이름을 바꿨습니다."),
        "departments.deleted" => ("Department deleted.", "부서를 삭제했습니다."),
        "departments.empty" => ("No departments yet.", "아직 부서가 없습니다."),
        "common.saving" => ("Saving…", "저장 중…"),
        "common.dismiss" => ("Dismiss", "닫기"),
        "common.notifications" => ("Notifications", "알림"),
        "not_found.title" => ("Page not found", "페이지를 찾을 수 없습니다"),
        "not_found.lead" => (
            "The page you asked for does not exist.",
            "요청하신 페이지가 존재하지 않습니다.",
        ),
        "not_found.home" => ("Go to the dashboard", "대시보드로 가기"),
        "error.title" => ("Something went wrong", "문제가 발생했습니다"),
        "error.retry" => ("Try again", "다시 시도"),
        "error.invalid_credentials" => (
            "Email or password is incorrect.",
            "이메일 또는 비밀번호가 올바르지 않습니다.",
        ),
        "error.account_disabled" => (
            "This account has been deactivated.",
            "비활성화된 계정입니다.",
        ),
        "error.sign_in_required" => ("Please log in first.", "먼저 로그인하세요."),
        "error.setup_token_invalid" => (
            "This setup link is not valid. Use the link nuri printed most recently.",
            "설정 링크가 유효하지 않습니다. 누리가 마지막으로 출력한 링크를 사용하세요.",
        ),
        "error.already_set_up" => (
            "nuri is already set up. Log in instead.",
            "이미 설정되었습니다. 로그인하세요.",
        ),
        "error.forbidden" => ("You are not allowed to do that.", "권한이 없습니다."),
        "error.own_account" => (
            "You cannot do that to your own account.",
            "자신의 계정에는 할 수 없는 작업입니다.",
        ),
        "error.not_empty" => (
            "It still has members. Move or remove them first.",
            "아직 구성원이 있습니다. 먼저 옮기거나 삭제하세요.",
        ),
        "error.not_found" => ("Not found.", "찾을 수 없습니다."),
        "error.unavailable" => (
            "The server could not be reached. Try again.",
            "서버에 연결할 수 없습니다. 다시 시도하세요.",
        ),
        "error.invalid" => (
            "Please check the highlighted fields.",
            "표시된 항목을 확인하세요.",
        ),
        "error.conflict" => (
            "That conflicts with existing data.",
            "기존 데이터와 충돌합니다.",
        ),
        "error.internal" => (
            "Something went wrong on our side. Try again.",
            "서버에서 문제가 발생했습니다. 다시 시도하세요.",
        ),
        "field_error.required" => ("This field is required.", "필수 항목입니다."),
        "field_error.too_short" => ("Use at least 10 characters.", "10자 이상 입력하세요."),
        "field_error.too_long" => ("This is too long.", "너무 깁니다."),
        "field_error.control_characters" => (
            "Remove the control characters (such as NUL) from this text.",
            "텍스트에서 제어 문자(NUL 등)를 지우세요.",
        ),
        "field_error.too_common" => (
            "This password is too easy to guess.",
            "너무 쉬운 비밀번호입니다.",
        ),
        "field_error.same_as_email" => (
            "The password must differ from the email.",
            "비밀번호는 이메일과 달라야 합니다.",
        ),
        "field_error.invalid_email" => (
            "Enter an email address like name@example.com.",
            "name@example.com 형식의 이메일을 입력하세요.",
        ),
        "field_error.taken" => ("This is already in use.", "이미 사용 중입니다."),
        "field_error.wrong_password" => (
            "The current password is not correct.",
            "현재 비밀번호가 올바르지 않습니다.",
        ),
        "field_error.unchanged" => (
            "Choose a password different from the current one.",
            "현재와 다른 비밀번호를 정하세요.",
        ),
        "field_error.invalid_role" => ("Use admin, mentor or mentee.", "admin, mentor, mentee 중 하나를 쓰세요."),
        "field_error.unknown_department" => ("No department with this name.", "이 이름의 부서가 없습니다."),
        "field_error.duplicate" => ("This appears twice in the file.", "파일에 두 번 나옵니다."),
        "field_error.out_of_range" => (
            "This number is outside the allowed range.",
            "허용 범위를 벗어난 숫자입니다.",
        ),
        "field.title" => ("Title", "제목"),
        "field.is_template" => ("Offer as a template", "템플릿으로 제공"),
        "field.markdown_hint" => ("Markdown is supported.", "마크다운을 쓸 수 있습니다."),
        "field.week" => ("Week", "주차"),
        "field.week_hint" => ("From 1 to 52.", "1부터 52까지."),
        "field.expected_days" => ("Expected days", "예상 일수"),
        "field.expected_days_hint" => ("From 1 to 365.", "1부터 365까지."),
        "curricula.title" => ("Curricula", "커리큘럼"),
        "curricula.empty" => ("No curricula yet.", "아직 커리큘럼이 없습니다."),
        "curricula.templates_only" => ("Templates only", "템플릿만"),
        "curricula.filter" => ("Apply", "적용"),
        "curricula.template" => ("Template", "템플릿"),
        "curricula.updated_at" => ("Updated", "수정일"),
        "curricula.copy" => ("Copy", "복사"),
        "curricula.create" => ("New curriculum", "새 커리큘럼"),
        "curricula.create_submit" => ("Create", "만들기"),
        "curricula.created" => ("Curriculum created.", "커리큘럼을 만들었습니다."),
        "curricula.copied" => ("Copy created.", "사본을 만들었습니다."),
        "curricula.deleted" => ("Curriculum deleted.", "커리큘럼을 삭제했습니다."),
        "curriculum.back" => ("All curricula", "커리큘럼 목록"),
        "curriculum.tasks" => ("Tasks", "과제"),
        "curriculum.no_tasks" => ("No tasks yet.", "아직 과제가 없습니다."),
        "curriculum.week" => ("Week {n}", "{n}주차"),
        "curriculum.expected_days" => ("{n} days expected", "예상 {n}일"),
        "curriculum.move_up" => ("Move up", "위로"),
        "curriculum.move_down" => ("Move down", "아래로"),
        "curriculum.edit_task" => ("Edit", "수정"),
        "curriculum.add_task" => ("Add a task", "과제 추가"),
        "curriculum.add_task_submit" => ("Add task", "과제 추가"),
        "curriculum.task_added" => ("Task added.", "과제를 추가했습니다."),
        "curriculum.task_updated" => ("Task saved.", "과제를 저장했습니다."),
        "curriculum.task_deleted" => ("Task deleted.", "과제를 삭제했습니다."),
        "curriculum.reordered" => ("Order saved.", "순서를 저장했습니다."),
        "curriculum.edit" => ("Edit curriculum", "커리큘럼 수정"),
        "curriculum.updated" => ("Curriculum saved.", "커리큘럼을 저장했습니다."),
        "curriculum.more" => ("Copy or delete", "복사 또는 삭제"),
        "curriculum.copy" => ("Make a copy", "사본 만들기"),
        "curriculum.delete" => ("Delete this curriculum…", "이 커리큘럼 삭제…"),
        "curriculum.delete_warning" => (
            "This deletes the curriculum and all its tasks. It cannot be undone.",
            "커리큘럼과 모든 과제를 삭제합니다. 되돌릴 수 없습니다.",
        ),
        "curriculum.delete_confirm" => ("Delete for good", "영구 삭제"),
        "field_error.mismatch" => (
            "The passwords do not match.",
            "비밀번호가 일치하지 않습니다.",
        ),
        _ => return crate::i18n_mentoring::lookup(key).or_else(|| forms::lookup(key)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_used_in_the_source_has_both_languages() {
        let sources = [
            include_str!("pages/login.rs"),
            include_str!("pages/register.rs"),
            include_str!("pages/setup.rs"),
            include_str!("pages/dashboard.rs"),
            include_str!("pages/account.rs"),
            include_str!("pages/users.rs"),
            include_str!("pages/departments.rs"),
            include_str!("pages/import.rs"),
            include_str!("pages/curricula.rs"),
            include_str!("pages/curriculum.rs"),
            include_str!("pages/curriculum/tasks.rs"),
            include_str!("pages/curriculum/manage.rs"),
            include_str!("components/curriculum_form.rs"),
            include_str!("pages/not_found.rs"),
            include_str!("pages/mentorship.rs"),
            include_str!("pages/mentorships.rs"),
            include_str!("pages/notifications.rs"),
            include_str!("pages/task/mod.rs"),
            include_str!("pages/task/memos.rs"),
            include_str!("pages/tasks.rs"),
            include_str!("components/mentoring.rs"),
            include_str!("pages/forms/list.rs"),
            include_str!("pages/forms/builder.rs"),
            include_str!("pages/forms/detail.rs"),
            include_str!("pages/forms/answer.rs"),
            include_str!("pages/forms/results.rs"),
            include_str!("pages/forms/mod.rs"),
            include_str!("components/layout.rs"),
            include_str!("components/form.rs"),
        ];
        let mut missing = Vec::new();
        for src in sources {
            for (i, _) in src.match_indices(".t(\"") {
                let rest = &src[i + 4..];
                let key = &rest[..rest.find('"').unwrap()];
                if lookup(key).is_none() {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "keys without text: {missing:?}");
    }

    #[test]
    fn every_forms_key_has_both_languages() {
        use entity::FormKind;
        let keys = [
            "forms.update_answers",
            "forms.send_answers",
            "forms.your_answers",
            "forms.answer",
            "forms.closed",
            "forms.open",
            "forms.none_to_answer",
            "forms.none_made",
            "forms.sent_at",
            "forms.responses",
            "forms.reopen",
            "forms.close",
        ];
        let kinds = FormKind::ALL.map(crate::pages::forms::kind_key);
        for key in keys.iter().chain(kinds.iter()) {
            assert!(lookup(key).is_some(), "{key}");
        }
        for code in ["option_count", "not_an_option", "bad_date", "out_of_range"] {
            let key = forms::field_error_key(code).unwrap();
            assert!(lookup(key).is_some(), "{key}");
        }
    }

    #[test]
    fn korean_is_the_default() {
        let i = I18n { locale: Locale::Ko };
        assert_eq!(i.t("nav.dashboard"), "대시보드");
        assert_eq!(I18n { locale: Locale::En }.t("nav.dashboard"), "Dashboard");
    }
}
