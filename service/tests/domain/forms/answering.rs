//! Answering, closing, results, CSV and who may do what.

use entity::PageRequest;
use serde_json::{json, Value};
use service::forms::{self, FormPatch, FormQuery};
use service::testing::{on_every_backend, people};
use service::{Registration, ServiceError};

use super::{fields, good_answers, survey};

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
