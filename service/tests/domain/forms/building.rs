//! Building and sending forms, to people and to a mentorship.

use entity::{FormKind, PageRequest};
use service::forms::{self, FormInput, FormQuery};
use service::testing::{on_every_backend, people};
use service::{Registration, ServiceError};

use super::{fields, pairing, question, survey};

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
        // Each recipient is told once (the duplicate id counts once); the sender is not.
        let told = service::notifications::list(&ctx, Some(&p.mentee), true, Default::default())
            .await
            .unwrap();
        assert_eq!(told.total, 1, "{backend}");
        assert_eq!(told.items[0].kind, "form_sent");
        assert_eq!(told.items[0].link, format!("/forms/{}", sent.form.id));
        assert_eq!(
            service::notifications::unread_count(&ctx, Some(&p.mentor))
                .await
                .unwrap(),
            0
        );
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
            department_ids: Vec::new(),
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

#[tokio::test]
async fn a_department_sends_to_everyone_active_in_it() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let p = people(&ctx).await;
        let dept = |name: &str| service::org::DepartmentInput {
            name: name.into(),
            ..Default::default()
        };
        let team = service::org::create_department(&ctx, Some(&p.company_admin), dept("Platform"))
            .await
            .expect(backend);
        let empty = service::org::create_department(&ctx, Some(&p.company_admin), dept("Empty"))
            .await
            .unwrap();
        let foreign =
            service::org::create_department(&ctx, Some(&p.foreign_admin), dept("Elsewhere"))
                .await
                .unwrap();
        for (who, active) in [
            (&p.mentee, true),
            (&p.other_mentee, false),
            (&p.mentor, true),
        ] {
            let patch = service::users::UserPatch {
                department_id: Some(Some(team.id)),
                is_active: Some(active),
                ..Default::default()
            };
            service::users::update(&ctx, Some(&p.company_admin), who.id(), patch)
                .await
                .expect(backend);
        }

        // The builder offers departments that have someone active, with their size.
        let audience = forms::audience(&ctx, Some(&p.mentor)).await.unwrap();
        let offered: Vec<(i32, u64)> = audience
            .departments
            .iter()
            .map(|d| (d.id, d.members))
            .collect();
        assert_eq!(offered, [(team.id, 2)], "{backend}");
        assert!(audience
            .people
            .iter()
            .any(|a| a.department_id == Some(team.id)));

        // The department's active people receive it, once each, beside people named one by one.
        let mut input = survey(vec![p.mentee.id()]);
        input.department_ids = vec![team.id];
        let sent = forms::create(&ctx, Some(&p.mentor), input)
            .await
            .expect(backend);
        assert_eq!(sent.recipient_count, 2, "{backend}");
        assert!(
            forms::get(&ctx, Some(&p.mentee), sent.form.id)
                .await
                .unwrap()
                .is_recipient
        );

        // Another company's department, or one that does not exist, is refused; nothing is sent.
        for wrong in [foreign.id, empty.id + 1000] {
            let mut input = survey(vec![p.mentee.id()]);
            input.department_ids = vec![team.id, wrong];
            let err = forms::create(&ctx, Some(&p.mentor), input)
                .await
                .unwrap_err();
            assert_eq!(
                fields(err),
                [("department_ids".to_owned(), "unknown_department".to_owned())],
                "{backend}"
            );
        }
    })
    .await;
}
