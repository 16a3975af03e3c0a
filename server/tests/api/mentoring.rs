//! REST (and the browser's doors) for mentorships, tasks, memos, notifications and dashboards.

use crate::common::*;
use axum::http::{Method, StatusCode};
use entity::Role;
use serde_json::json;
use service::Registration;

#[tokio::test]
async fn a_mentorship_over_rest_from_pairing_to_approval() {
    let app = TestApp::new(Registration::Invite).await;
    app.user("admin@example.com", Role::Admin).await;
    let admin = app.access_token("admin@example.com").await;
    let mut ids = Vec::new();
    for (email, role) in [
        ("mentor@example.com", "mentor"),
        ("mentee@example.com", "mentee"),
        ("other@example.com", "mentee"),
    ] {
        let r = app
            .call(
                Method::POST,
                "/api/v1/users",
                &admin,
                Some(json!({"email": email, "name": email, "role": role, "password": PASSWORD})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    let (mentor_id, mentee_id) = (ids[0], ids[1]);
    let mentor = app.access_token("mentor@example.com").await;
    let mentee = app.access_token("mentee@example.com").await;
    let other = app.access_token("other@example.com").await;

    let c = app
        .call(
            Method::POST,
            "/api/v1/curricula",
            &admin,
            Some(json!({"title": "Onboarding"})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    for (title, week) in [("Laptop", 1), ("First PR", 2)] {
        let r = app
            .call(
                Method::POST,
                &format!("/api/v1/curricula/{c}/tasks"),
                &admin,
                Some(json!({"title": title, "week": week, "expected_days": 2})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }

    let bad = app
        .call(
            Method::POST,
            "/api/v1/mentorships",
            &admin,
            Some(json!({"mentor_id": mentee_id, "mentee_id": mentee_id, "curriculum_id": c, "start_date": "2026-13-01"})),
        )
        .await;
    let problem = assert_problem(&bad, 422, "invalid");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["mentor_id", "mentee_id", "start_date"],
        "{}",
        bad.body
    );
    let refused = app
        .call(
            Method::POST,
            "/api/v1/mentorships",
            &mentor,
            Some(json!({"mentor_id": mentor_id, "mentee_id": mentee_id, "curriculum_id": c, "start_date": "2026-12-01"})),
        )
        .await;
    assert_problem(&refused, 403, "forbidden");
    let created = app
        .call(
            Method::POST,
            "/api/v1/mentorships",
            &admin,
            Some(json!({"mentor_id": mentor_id, "mentee_id": mentee_id, "curriculum_id": c, "start_date": "2026-12-01"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let m = created.json();
    let mid = m["id"].as_i64().unwrap();
    assert_eq!(m["status"], "active");
    assert_eq!(m["progress"]["total"], 2);

    let sorted = app
        .call(
            Method::GET,
            "/api/v1/mentorships?sort=-start_date&status=active",
            &admin,
            None,
        )
        .await
        .json();
    assert_eq!(sorted["total"], 1);
    let bad = app
        .call(Method::GET, "/api/v1/mentorships?sort=colour", &admin, None)
        .await;
    assert_eq!(
        assert_problem(&bad, 422, "invalid")["errors"][0]["field"],
        "sort"
    );

    let by_mentorship = app
        .call(
            Method::GET,
            &format!("/api/v1/tasks?mentorship_id={mid}"),
            &mentor,
            None,
        )
        .await
        .json();
    assert_eq!(by_mentorship["total"], 2);
    let first = &by_mentorship["items"][0];
    assert_eq!(first["title"], "Laptop");
    assert_eq!(first["status"], "todo");
    assert_eq!(first["due_date"], "2026-12-03");
    let tid = first["id"].as_i64().unwrap();
    let by_assignee = app
        .call(
            Method::GET,
            &format!("/api/v1/tasks?assignee_id={mentee_id}&per_page=1"),
            &admin,
            None,
        )
        .await
        .json();
    assert_eq!(
        (
            by_assignee["total"].as_i64(),
            by_assignee["per_page"].as_i64()
        ),
        (Some(2), Some(1))
    );
    let none = app
        .call(Method::GET, "/api/v1/tasks", &other, None)
        .await
        .json();
    assert_eq!(none["total"], 0);
    let hidden = app
        .call(Method::GET, &format!("/api/v1/tasks/{tid}"), &other, None)
        .await;
    assert_problem(&hidden, 404, "not-found");
    let bad_sort = app
        .call(Method::GET, "/api/v1/tasks?sort=colour", &mentee, None)
        .await;
    assert_problem(&bad_sort, 422, "invalid");

    // The board: each column's true count and its own page; admins choose whose board first.
    let uri = format!("/api/v1/tasks/board?mentorship_id={mid}&per_page=1");
    let board = app.call(Method::GET, &uri, &admin, None).await.json();
    let todo = &board["columns"][0];
    assert_eq!(
        (&board["subject"], &todo["status"]),
        (&json!("mentee@example.com"), &json!("todo"))
    );
    assert_eq!(
        (
            &todo["tasks"]["total"],
            todo["tasks"]["items"].as_array().map(Vec::len)
        ),
        (&json!(2), Some(1))
    );
    let chooser = app
        .call(Method::GET, "/api/v1/tasks/board?q=MENTEE", &admin, None)
        .await
        .json();
    assert_eq!(
        (&chooser["columns"], &chooser["choose"][0]["id"]),
        (&json!([]), &json!(mid))
    );
    let bad = app
        .call(
            Method::GET,
            "/api/v1/tasks/board?done_page=0",
            &mentee,
            None,
        )
        .await;
    assert_eq!(
        assert_problem(&bad, 422, "invalid")["errors"][0]["field"],
        "done_page"
    );
    let cookie = app.session("admin@example.com").await;
    let page = app.get("/tasks", Auth::Cookie(&cookie)).await;
    assert!(
        page.body.contains("data-testid=\"board-chooser\""),
        "{}",
        page.body
    );

    let transition = format!("/api/v1/tasks/{tid}/transition");
    let r = app
        .call(
            Method::POST,
            &transition,
            &mentee,
            Some(json!({"to": "flying"})),
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, "invalid")["errors"][0]["field"],
        "to"
    );
    let r = app
        .call(
            Method::POST,
            &transition,
            &mentee,
            Some(json!({"to": "done"})),
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, "invalid")["errors"][0]["code"],
        "invalid_transition"
    );
    for to in ["in_progress", "review"] {
        let r = app
            .call(Method::POST, &transition, &mentee, Some(json!({"to": to})))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], to);
    }
    let r = app
        .call(
            Method::POST,
            &transition,
            &mentee,
            Some(json!({"to": "done"})),
        )
        .await;
    assert_problem(&r, 403, "forbidden");
    let r = app
        .call(
            Method::POST,
            &transition,
            &mentor,
            Some(json!({"to": "changes_requested"})),
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, "invalid")["errors"][0]["field"],
        "comment"
    );
    let r = app
        .call(
            Method::POST,
            &transition,
            &mentor,
            Some(json!({"to": "changes_requested", "comment": "Add a screenshot"})),
        )
        .await;
    assert_eq!(r.json()["status"], "changes_requested");

    let memo = app
        .call(
            Method::POST,
            &format!("/api/v1/tasks/{tid}/memos"),
            &mentee,
            Some(json!({"body": "Added **it**"})),
        )
        .await;
    assert_eq!(memo.status, StatusCode::CREATED, "{}", memo.body);
    let memo_id = memo.json()["id"].as_i64().unwrap();
    assert!(memo.json()["body_html"]
        .as_str()
        .unwrap()
        .contains("<strong>it</strong>"));
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/tasks/{tid}/memos"),
            &mentee,
            Some(json!({"body": ""})),
        )
        .await;
    assert_eq!(
        assert_problem(&r, 422, "invalid")["errors"][0]["field"],
        "body"
    );
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/tasks/{tid}/memos/{memo_id}"),
            &mentor,
            Some(json!({"body": "not mine"})),
        )
        .await;
    assert_problem(&r, 403, "forbidden");
    let listed = app
        .call(
            Method::GET,
            &format!("/api/v1/tasks/{tid}/memos"),
            &mentor,
            None,
        )
        .await;
    assert_eq!(listed.json().as_array().unwrap().len(), 1);
    let theirs = &listed.json()[0];
    assert_eq!([&theirs["can_edit"], &theirs["can_delete"]], [false, false]);

    for (who, to) in [
        (&mentee, "in_progress"),
        (&mentee, "review"),
        (&mentor, "done"),
    ] {
        let r = app
            .call(Method::POST, &transition, who, Some(json!({"to": to})))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{to}: {}", r.body);
    }
    let detail = app
        .call(Method::GET, &format!("/api/v1/tasks/{tid}"), &mentee, None)
        .await
        .json();
    assert_eq!(detail["status"], "done");
    assert_eq!(detail["events"].as_array().unwrap().len(), 6);
    assert!(detail["completed_at"].is_string());

    let notes = app
        .call(
            Method::GET,
            "/api/v1/notifications?unread=true",
            &mentee,
            None,
        )
        .await
        .json();
    let kinds: Vec<&str> = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["task_approved", "changes_requested", "tasks_assigned"],
        "{notes}"
    );
    assert_eq!(notes["unread"], 3);
    let r = app
        .call(
            Method::POST,
            "/api/v1/notifications/read-all",
            &mentee,
            None,
        )
        .await;
    assert_eq!(r.json()["marked"], 3);
    let none = app
        .call(
            Method::GET,
            "/api/v1/notifications?unread=true",
            &mentee,
            None,
        )
        .await
        .json();
    assert_eq!(none["total"], 0);

    let dash = app
        .call(Method::GET, "/api/v1/dashboard", &mentee, None)
        .await
        .json();
    assert_eq!(dash["role"], "mentee");
    assert_eq!(dash["progress"]["done"], 1);
    let dash = app
        .call(Method::GET, "/api/v1/dashboard", &admin, None)
        .await
        .json();
    assert_eq!(dash["role"], "admin");
    assert_eq!(dash["active_mentorships"], 1);

    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/mentorships/{mid}"),
            &mentee,
            Some(json!({"status": "ended"})),
        )
        .await;
    assert_problem(&r, 403, "forbidden");
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/mentorships/{mid}"),
            &mentor,
            Some(json!({"status": "ended"})),
        )
        .await;
    assert_eq!(r.json()["status"], "ended", "{}", r.body);
    assert_eq!(
        r.json()["can_end"],
        false,
        "an ended mentorship ends no more"
    );

    app.finish().await;
}

#[tokio::test]
async fn the_task_page_and_its_forms_work_without_javascript() {
    let app = TestApp::new(Registration::Invite).await;
    let ctx = app.ctx.clone();
    let p = service::testing::people(&ctx).await;
    let c = service::curricula::create(
        &ctx,
        Some(&p.admin),
        service::curricula::CurriculumInput {
            title: "Onboarding".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    service::curricula::add_task(
        &ctx,
        Some(&p.admin),
        c.id,
        service::curricula::TaskInput {
            title: "Set up the laptop".into(),
            description: Some("Install <b>tools</b>".into()),
            week: 1,
            expected_days: 2,
        },
    )
    .await
    .unwrap();
    let m = service::mentorships::create(
        &ctx,
        Some(&p.admin),
        service::mentorships::MentorshipInput {
            mentor_id: Some(p.mentor.id()),
            mentee_id: Some(p.mentee.id()),
            curriculum_id: Some(c.id),
            start_date: "2026-12-01".into(),
        },
    )
    .await
    .unwrap();
    let tasks = service::tasks::list(
        &ctx,
        Some(&p.mentee),
        service::tasks::TaskQuery {
            mentorship_id: Some(m.mentorship.id),
            ..Default::default()
        },
        entity::PageRequest::default(),
    )
    .await
    .unwrap();
    let tid = tasks.items[0].id.to_string();

    let cookie = app.session("mentee@a.test").await;
    let page = app
        .get(&format!("/tasks/{tid}"), Auth::Cookie(&cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Set up the laptop"));
    assert!(
        page.body.contains("&lt;b&gt;tools&lt;/b&gt;"),
        "raw HTML is shown as text"
    );
    let moved = app
        .post_form(
            "/api/fn/move_task",
            Auth::Cookie(&cookie),
            &[("id", &tid), ("to", "in_progress")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::FOUND, "{}", moved.body);
    assert_eq!(moved.header("location"), format!("/tasks/{tid}?done=moved"));
    let wrong = app
        .post_form(
            "/api/fn/move_task",
            Auth::Cookie(&cookie),
            &[("id", &tid), ("to", "done")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FOUND);
    assert!(wrong
        .header("location")
        .starts_with(&format!("/tasks/{tid}?e=")));
    let memo = app
        .post_form(
            "/api/fn/add_memo",
            Auth::Cookie(&cookie),
            &[("task_id", &tid), ("body", "")],
        )
        .await;
    assert!(
        memo.header("location").contains("?e="),
        "an empty memo comes back with the error"
    );

    let board = app.get("/tasks", Auth::Cookie(&cookie)).await;
    assert!(board.body.contains("Set up the laptop"));
    let outsider = app.session("mentee2@a.test").await;
    let hidden = app
        .get(&format!("/tasks/{tid}"), Auth::Cookie(&outsider))
        .await;
    assert!(!hidden.body.contains("Set up the laptop"));
    app.finish().await;
}
