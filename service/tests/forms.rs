//! Forms: build, send (to people and to a mentorship), answer, close, results, CSV and who may do
//! what, on every configured backend.

use chrono::Utc;
use entity::{mentorship, FormKind, MentorshipStatus, PageRequest};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{json, Value};
use service::forms::{self, FormInput, FormPatch, FormQuery, QuestionInput};
use service::testing::{on_every_backend, people};
use service::{Actor, Ctx, Registration, ServiceError};

fn question(kind: &str, label: &str, required: bool, options: &[&str]) -> QuestionInput {
    QuestionInput {
        kind: kind.into(),
        label: label.into(),
        required,
        options: (!options.is_empty()).then(|| options.iter().map(|o| o.to_string()).collect()),
    }
}

/// One question of every kind.
fn survey(recipients: Vec<i32>) -> FormInput {
    FormInput {
        title: "  첫 주 설문 ".into(),
        description: Some("How was week one?".into()),
        questions: vec![
            question("short_text", "이름 / Nickname", true, &[]),
            question("long_text", "What went well?", false, &[]),
            question("single_choice", "Team", true, &["Platform", "Data"]),
            question("multiple_choice", "Tools", false, &["Rust", "SQL", "Excel"]),
            question("number", "Hours of pairing", false, &[]),
            question("date", "Start date", false, &[]),
            question("rating", "Overall", true, &[]),
        ],
        recipient_ids: recipients,
        mentorship_id: None,
    }
}

fn fields(err: ServiceError) -> Vec<(String, String)> {
    match err {
        ServiceError::Invalid(f) => f.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

async fn pairing(ctx: &Ctx, mentor: &Actor, mentee: &Actor) -> mentorship::Model {
    let now = Utc::now();
    mentorship::ActiveModel {
        company_id: Set(mentor.user.company_id.unwrap()),
        mentor_id: Set(mentor.id()),
        mentee_id: Set(mentee.id()),
        curriculum_id: Set(None),
        status: Set(MentorshipStatus::Active),
        start_date: Set(now.date_naive()),
        ended_at: Set(None),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn mentors_build_send_and_read_forms() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let sent = forms::create(
            &ctx,
            Some(&p.mentor),
            survey(vec![p.mentee.id(), p.other_mentee.id(), p.mentee.id()]),
        )
        .await
        .expect(backend);
        assert_eq!(sent.form.title, "첫 주 설문");
        assert_eq!(sent.form.created_by, p.mentor.id());
        assert_eq!(sent.questions.len(), 7);
        assert_eq!(
            sent.questions.iter().map(|q| q.kind).collect::<Vec<_>>(),
            FormKind::ALL
        );
        assert!(sent.questions.iter().all(|q| q.id > 0));
        assert_eq!(sent.questions[3].options, ["Rust", "SQL", "Excel"]);
        assert!(sent.questions[4].options.is_empty());
        assert_eq!(sent.recipient_count, 2, "duplicates collapse");
        assert!(sent.can_manage && !sent.is_recipient && !sent.closed);
        let id = sent.form.id;

        // Lists: the mentor's own, the mentee's inbox, the admin's company view.
        let mine = forms::list(
            &ctx,
            Some(&p.mentor),
            FormQuery {
                mine: true,
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
        assert_eq!(
            (
                mine.total,
                mine.items[0].recipient_count,
                mine.items[0].question_count
            ),
            (1, 2, 7)
        );
        let inbox = forms::list(
            &ctx,
            Some(&p.mentee),
            FormQuery {
                to_answer: true,
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
        assert!(inbox.items[0].sent_to_me && !inbox.items[0].answered);
        for nobody in [&p.other_mentor, &p.foreign_admin] {
            let page = forms::list(
                &ctx,
                Some(nobody),
                FormQuery::default(),
                PageRequest::default(),
            )
            .await
            .unwrap();
            assert_eq!(page.total, 0, "{}", nobody.user.email);
        }
        let company = forms::list(
            &ctx,
            Some(&p.company_admin),
            FormQuery::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
        assert_eq!(company.total, 1);
        let bad_sort = forms::list(
            &ctx,
            Some(&p.mentee),
            FormQuery {
                sort: Some("id".into()),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap_err();
        assert_eq!(
            fields(bad_sort),
            [("sort".to_owned(), "invalid_sort".to_owned())]
        );

        // The recipient reads the questions, without anyone's answers yet.
        let seen = forms::get(&ctx, Some(&p.mentee), id).await.unwrap();
        assert!(seen.is_recipient && !seen.can_manage && seen.my_response.is_none());

        // Mentees do not build forms; admins may.
        assert!(matches!(
            forms::create(&ctx, Some(&p.mentee), survey(vec![p.mentor.id()])).await,
            Err(ServiceError::Forbidden)
        ));
        forms::create(&ctx, Some(&p.company_admin), survey(vec![p.mentor.id()]))
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_form_is_checked_before_anything_is_written() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let input = FormInput {
            title: " ".into(),
            description: None,
            questions: vec![
                question("short_text", "", false, &[]),
                question("single_choice", "Pick", false, &["a"]),
                question("multiple_choice", "Pick", false, &["a", " a "]),
                question("number", "n", false, &["1", "2"]),
                question("colour", "c", false, &[]),
                question("single_choice", "Pick", false, &["a", ""]),
            ],
            recipient_ids: vec![p.mentee.id(), p.foreign_mentee.id()],
            mentorship_id: None,
        };
        let err = forms::create(&ctx, Some(&p.mentor), input)
            .await
            .expect_err(backend);
        let mut got = fields(err);
        got.sort();
        let mut want: Vec<(String, String)> = [
            ("title", "required"),
            ("questions[0].label", "required"),
            ("questions[1].options", "option_count"),
            ("questions[2].options", "duplicate_option"),
            ("questions[3].options", "unexpected_options"),
            ("questions[4].kind", "invalid_kind"),
            ("questions[5].options", "empty_option"),
            ("recipient_ids", "unknown_recipient"),
        ]
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
        want.sort();
        assert_eq!(got, want);

        let mut empty = survey(vec![]);
        empty.questions.clear();
        let mut got = fields(
            forms::create(&ctx, Some(&p.mentor), empty)
                .await
                .unwrap_err(),
        );
        got.sort();
        assert_eq!(
            got,
            [
                ("questions".to_owned(), "question_count".to_owned()),
                ("recipient_ids".to_owned(), "required".to_owned())
            ]
        );
        let mut long = survey(vec![p.mentee.id()]);
        long.title = "x".repeat(201);
        long.questions = (0..51)
            .map(|i| question("rating", &format!("Q{i}"), false, &[]))
            .collect();
        let mut got = fields(
            forms::create(&ctx, Some(&p.mentor), long)
                .await
                .unwrap_err(),
        );
        got.sort();
        assert_eq!(
            got,
            [
                ("questions".to_owned(), "question_count".to_owned()),
                ("title".to_owned(), "too_long".to_owned())
            ]
        );
        let page = forms::list(
            &ctx,
            Some(&p.admin),
            FormQuery::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
        assert_eq!(page.total, 0, "nothing written");
    })
    .await;
}

#[tokio::test]
async fn forms_go_to_a_mentorship_the_sender_runs() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let pair = pairing(&ctx, &p.mentor, &p.mentee).await;
        let mut input = survey(vec![]);
        input.mentorship_id = Some(pair.id);
        let sent = forms::create(&ctx, Some(&p.mentor), input.clone())
            .await
            .expect(backend);
        assert_eq!(sent.form.mentorship_id, Some(pair.id));
        assert_eq!(sent.recipient_count, 1);
        assert!(
            forms::get(&ctx, Some(&p.mentee), sent.form.id)
                .await
                .unwrap()
                .is_recipient
        );

        assert!(matches!(
            forms::create(&ctx, Some(&p.other_mentor), input.clone()).await,
            Err(ServiceError::Forbidden)
        ));
        forms::create(&ctx, Some(&p.company_admin), input.clone())
            .await
            .unwrap();
        let mut unknown = input;
        unknown.mentorship_id = Some(pair.id + 100);
        assert_eq!(
            fields(
                forms::create(&ctx, Some(&p.mentor), unknown)
                    .await
                    .unwrap_err()
            ),
            [
                ("mentorship_id".to_owned(), "unknown_mentorship".to_owned()),
                ("recipient_ids".to_owned(), "required".to_owned())
            ]
        );

        let audience = forms::audience(&ctx, Some(&p.mentor)).await.unwrap();
        assert_eq!(audience.mentorships.len(), 1);
        assert_eq!(audience.mentorships[0].mentee_name, "Mentee A");
        assert!(audience.people.iter().all(|a| a.email.ends_with("@a.test")));
        assert!(forms::audience(&ctx, Some(&p.other_mentor))
            .await
            .unwrap()
            .mentorships
            .is_empty());
        assert!(matches!(
            forms::audience(&ctx, Some(&p.mentee)).await,
            Err(ServiceError::Forbidden)
        ));
    })
    .await;
}

fn good_answers() -> Vec<Value> {
    vec![
        json!("Mina, \"the new one\""),
        Value::Null,
        json!("Data"),
        json!(["SQL", "Rust"]),
        json!(12.5),
        json!("2026-03-02"),
        json!(4),
    ]
}

#[tokio::test]
async fn recipients_answer_once_and_edit_until_closed() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let id = forms::create(
            &ctx,
            Some(&p.mentor),
            survey(vec![p.mentee.id(), p.other_mentee.id()]),
        )
        .await
        .expect(backend)
        .form
        .id;

        let bad = vec![
            json!(""),
            json!(5),
            json!("Ops"),
            json!(["Go"]),
            json!("lots"),
            json!("2026-02-30"),
            json!(9),
        ];
        assert_eq!(
            fields(
                forms::submit(&ctx, Some(&p.mentee), id, bad)
                    .await
                    .unwrap_err()
            ),
            [
                ("answers[0]", "required"),
                ("answers[1]", "not_text"),
                ("answers[2]", "not_an_option"),
                ("answers[3]", "not_an_option"),
                ("answers[4]", "not_a_number"),
                ("answers[5]", "bad_date"),
                ("answers[6]", "out_of_range"),
            ]
            .map(|(f, c)| (f.to_owned(), c.to_owned()))
        );
        assert_eq!(
            fields(
                forms::submit(&ctx, Some(&p.mentee), id, vec![json!("x")])
                    .await
                    .unwrap_err()
            ),
            [("answers".to_owned(), "answer_count".to_owned())]
        );

        let (first, created) = forms::submit(&ctx, Some(&p.mentee), id, good_answers())
            .await
            .unwrap();
        assert!(created);
        assert_eq!(
            first.answers[3],
            json!(["Rust", "SQL"]),
            "kept in option order"
        );
        assert_eq!(first.answers[1], Value::Null);
        let mut again = good_answers();
        again[6] = json!("5");
        again[3] = json!([]);
        let (second, created) = forms::submit(&ctx, Some(&p.mentee), id, again)
            .await
            .unwrap();
        assert!(!created, "a second answer replaces the first");
        assert_eq!(second.id, first.id);
        assert_eq!(
            (second.answers[6].clone(), second.answers[3].clone()),
            (json!(5), Value::Null)
        );
        let mine = forms::get(&ctx, Some(&p.mentee), id).await.unwrap();
        assert_eq!(mine.my_response.unwrap().answers[6], json!(5));
        assert_eq!(mine.response_count, 1);

        // Closed: no more answers; reopened: answers again.
        let closed = forms::update(
            &ctx,
            Some(&p.mentor),
            id,
            FormPatch {
                closed: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(closed.closed && closed.form.closed_at.is_some());
        match forms::submit(&ctx, Some(&p.other_mentee), id, good_answers()).await {
            Err(ServiceError::Conflict(f)) => assert_eq!(f.code, "form_closed"),
            other => panic!("{other:?}"),
        }
        forms::update(
            &ctx,
            Some(&p.company_admin),
            id,
            FormPatch {
                closed: Some(false),
                title: Some("Week one".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        forms::submit(&ctx, Some(&p.other_mentee), id, good_answers())
            .await
            .unwrap();
        let inbox = forms::list(
            &ctx,
            Some(&p.other_mentee),
            FormQuery::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
        assert!(inbox.items[0].answered);
        assert_eq!(inbox.items[0].form.title, "Week one");
    })
    .await;
}

#[tokio::test]
async fn owners_see_who_answered_and_export_csv() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let id = forms::create(
            &ctx,
            Some(&p.mentor),
            survey(vec![
                p.mentee.id(),
                p.other_mentee.id(),
                p.company_admin.id(),
            ]),
        )
        .await
        .expect(backend)
        .form
        .id;
        forms::submit(&ctx, Some(&p.mentee), id, good_answers())
            .await
            .unwrap();
        let mut other = good_answers();
        other[0] = json!("=HYPERLINK(\"x\")");
        other[3] = json!(["Excel", "Rust"]);
        other[6] = json!(5);
        forms::submit(&ctx, Some(&p.other_mentee), id, other)
            .await
            .unwrap();

        let results = forms::results(&ctx, Some(&p.mentor), id).await.unwrap();
        let status: Vec<(&str, bool)> = results
            .recipients
            .iter()
            .map(|r| (r.name.as_str(), r.answered))
            .collect();
        assert_eq!(
            status,
            [("Admin A2", false), ("Mentee A", true), ("Mentee A2", true)]
        );
        assert_eq!(results.responses.len(), 2);
        let tools = results.charts.iter().find(|c| c.label == "Tools").unwrap();
        let counts: Vec<(&str, u64)> = tools
            .counts
            .iter()
            .map(|c| (c.option.as_str(), c.count))
            .collect();
        assert_eq!(counts, [("Rust", 2), ("SQL", 1), ("Excel", 1)]);
        let overall = results
            .charts
            .iter()
            .find(|c| c.label == "Overall")
            .unwrap();
        assert_eq!(
            overall.counts.iter().map(|c| c.count).collect::<Vec<_>>(),
            [0, 0, 0, 1, 1]
        );
        assert_eq!(
            results.charts.len(),
            3,
            "two choice questions and the rating"
        );

        let (name, bytes) = forms::export_csv(&ctx, Some(&p.company_admin), id)
            .await
            .unwrap();
        assert!(
            name.starts_with(&format!("form-{id}")) && name.ends_with(".csv"),
            "{name}"
        );
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark");
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            header,
            [
                "name",
                "email",
                "submitted_at",
                "이름 / Nickname",
                "What went well?",
                "Team",
                "Tools",
                "Hours of pairing",
                "Start date",
                "Overall"
            ]
        );
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0][..2],
            ["Mentee A".to_owned(), "mentee@a.test".to_owned()]
        );
        assert_eq!(
            rows[0][3..],
            [
                "Mina, \"the new one\"",
                "",
                "Data",
                "Rust; SQL",
                "12.5",
                "2026-03-02",
                "4"
            ]
            .map(String::from)
        );
        assert_eq!(rows[1][3], "'=HYPERLINK(\"x\")", "no formulas");
        assert_eq!(rows[1][6], "Rust; Excel");
        assert!(rows[0][2].ends_with('Z'), "{}", rows[0][2]);
    })
    .await;
}

#[tokio::test]
async fn only_the_right_people_see_and_change_a_form() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let id = forms::create(&ctx, Some(&p.mentor), survey(vec![p.mentee.id()]))
            .await
            .expect(backend)
            .form
            .id;
        let not_found = |r: Result<(), ServiceError>, who: &str| {
            assert!(
                matches!(r, Err(ServiceError::NotFound { what: "form" })),
                "{who}: {r:?}"
            )
        };
        let forbidden = |r: Result<(), ServiceError>, who: &str| {
            assert!(matches!(r, Err(ServiceError::Forbidden)), "{who}: {r:?}")
        };
        // Another company learns nothing: 404 for every operation.
        for outsider in [&p.foreign_admin, &p.foreign_mentee] {
            let who = outsider.user.email.as_str();
            not_found(forms::get(&ctx, Some(outsider), id).await.map(drop), who);
            not_found(
                forms::results(&ctx, Some(outsider), id).await.map(drop),
                who,
            );
            not_found(
                forms::export_csv(&ctx, Some(outsider), id).await.map(drop),
                who,
            );
            not_found(
                forms::submit(&ctx, Some(outsider), id, good_answers())
                    .await
                    .map(drop),
                who,
            );
            not_found(
                forms::update(&ctx, Some(outsider), id, FormPatch::default())
                    .await
                    .map(drop),
                who,
            );
            not_found(forms::delete(&ctx, Some(outsider), id).await, who);
        }
        // The same company: allowed only by the rules.
        forbidden(
            forms::get(&ctx, Some(&p.other_mentee), id).await.map(drop),
            "other mentee",
        );
        forbidden(
            forms::submit(&ctx, Some(&p.other_mentee), id, good_answers())
                .await
                .map(drop),
            "other mentee",
        );
        forbidden(
            forms::submit(&ctx, Some(&p.mentor), id, good_answers())
                .await
                .map(drop),
            "the author is no recipient",
        );
        forbidden(
            forms::results(&ctx, Some(&p.mentee), id).await.map(drop),
            "mentee",
        );
        forbidden(
            forms::export_csv(&ctx, Some(&p.mentee), id).await.map(drop),
            "mentee",
        );
        forbidden(
            forms::update(
                &ctx,
                Some(&p.mentee),
                id,
                FormPatch {
                    closed: Some(true),
                    ..Default::default()
                },
            )
            .await
            .map(drop),
            "mentee",
        );
        forbidden(
            forms::results(&ctx, Some(&p.other_mentor), id)
                .await
                .map(drop),
            "other mentor",
        );
        forbidden(
            forms::delete(&ctx, Some(&p.other_mentor), id).await,
            "other mentor",
        );
        forbidden(
            forms::get(&ctx, Some(&p.other_mentor), id).await.map(drop),
            "other mentor",
        );
        assert!(
            forms::get(&ctx, Some(&p.company_admin), id)
                .await
                .unwrap()
                .can_manage
        );
        forms::results(&ctx, Some(&p.admin), id).await.unwrap();
        assert!(matches!(
            forms::get(&ctx, None, id).await,
            Err(ServiceError::Unauthenticated { .. })
        ));

        forms::submit(&ctx, Some(&p.mentee), id, good_answers())
            .await
            .unwrap();
        let bad = forms::update(
            &ctx,
            Some(&p.mentor),
            id,
            FormPatch {
                title: Some(" ".into()),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(
            fields(bad.unwrap_err()),
            [("title".to_owned(), "required".to_owned())]
        );
        forms::delete(&ctx, Some(&p.mentor), id).await.unwrap();
        not_found(
            forms::get(&ctx, Some(&p.mentor), id).await.map(drop),
            "deleted",
        );
    })
    .await;
}
