//! Curricula and their task templates, on every configured backend.

use entity::{PageRequest, Role};
use service::curricula::{self, CurriculumInput, CurriculumPatch, TaskInput, TaskPatch};
use service::org::{self, CompanyInput};
use service::testing::on_every_backend;
use service::users::{self, NewUser};
use service::{Actor, AuthMethod, Registration, ServiceError};

use service::testing::PASSWORD;

fn task(title: &str, week: i32) -> TaskInput {
    TaskInput {
        title: title.into(),
        description: Some(format!("Read **{title}**")),
        week,
        expected_days: 3,
    }
}

#[tokio::test]
async fn admins_shape_curricula_everyone_in_the_company_reads_them() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let admin = Actor {
            user: users::create_by_operator(
                &ctx,
                NewUser::new("admin@a.test", "Admin", Role::Admin, PASSWORD),
            )
            .await
            .unwrap(),
            via: AuthMethod::Session,
        };
        let mentor = Actor {
            user: users::create_user(
                &ctx,
                Some(&admin),
                NewUser::new("mentor@a.test", "Mentor", Role::Mentor, PASSWORD),
            )
            .await
            .unwrap(),
            via: AuthMethod::Session,
        };
        let other_company = org::create_company(
            &ctx,
            Some(&admin),
            CompanyInput {
                name: "B".into(),
                description: None,
            },
        )
        .await
        .unwrap();
        let outsider = Actor {
            user: users::create_user(
                &ctx,
                Some(&admin),
                NewUser {
                    company_id: Some(other_company.id),
                    ..NewUser::new("admin@b.test", "B", Role::Admin, PASSWORD)
                },
            )
            .await
            .unwrap(),
            via: AuthMethod::Session,
        };

        let onboarding = curricula::create(
            &ctx,
            Some(&admin),
            CurriculumInput {
                title: "  Onboarding ".into(),
                description: Some("# Welcome\n<script>x</script>".into()),
                is_template: Some(true),
                company_id: None,
            },
        )
        .await
        .expect(backend);
        assert_eq!(onboarding.title, "Onboarding");
        let e = curricula::create(
            &ctx,
            Some(&mentor),
            CurriculumInput {
                title: "Mine".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
        assert!(
            matches!(e, ServiceError::Forbidden),
            "{backend}: mentors read, admins shape"
        );
        let e = curricula::create(
            &ctx,
            Some(&admin),
            CurriculumInput {
                title: "".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
        assert_eq!(e.fields()[0].code, "required", "{backend}");

        let setup = curricula::add_task(&ctx, Some(&admin), onboarding.id, task("Laptop setup", 1))
            .await
            .expect(backend);
        let codebase =
            curricula::add_task(&ctx, Some(&admin), onboarding.id, task("Codebase tour", 1))
                .await
                .unwrap();
        let first_pr = curricula::add_task(
            &ctx,
            Some(&admin),
            onboarding.id,
            task("First pull request", 2),
        )
        .await
        .unwrap();
        let intro =
            curricula::add_task(&ctx, Some(&admin), onboarding.id, task("Meet the team", 1))
                .await
                .unwrap();
        assert_eq!(
            (
                setup.position,
                codebase.position,
                first_pr.position,
                intro.position
            ),
            (1, 2, 1, 3),
            "{backend}"
        );
        let bad = curricula::add_task(
            &ctx,
            Some(&admin),
            onboarding.id,
            TaskInput {
                title: "x".into(),
                description: None,
                week: 0,
                expected_days: 0,
            },
        )
        .await
        .unwrap_err();
        let fields: Vec<String> = bad.fields().into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["week", "expected_days"], "{backend}");

        // Everyone in the company reads it, in order, with safe HTML; other companies do not see it.
        let seen = curricula::get(&ctx, Some(&mentor), onboarding.id)
            .await
            .expect(backend);
        let titles: Vec<&str> = seen.tasks.iter().map(|t| t.task.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Laptop setup",
                "Codebase tour",
                "Meet the team",
                "First pull request"
            ],
            "{backend}"
        );
        assert!(
            seen.description_html.contains("<h1>Welcome</h1>")
                && !seen.description_html.contains("<script"),
            "{backend}"
        );
        assert_eq!(
            seen.tasks[0].description_html,
            "<p>Read <strong>Laptop setup</strong></p>\n"
        );
        let e = curricula::get(&ctx, Some(&outsider), onboarding.id)
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");

        // Reorder within weeks; a partial list is refused.
        let reordered = curricula::reorder(
            &ctx,
            Some(&admin),
            onboarding.id,
            &[intro.id, setup.id, codebase.id, first_pr.id],
        )
        .await
        .expect(backend);
        let titles: Vec<&str> = reordered
            .tasks
            .iter()
            .map(|t| t.task.title.as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "Meet the team",
                "Laptop setup",
                "Codebase tour",
                "First pull request"
            ],
            "{backend}"
        );
        let e = curricula::reorder(&ctx, Some(&admin), onboarding.id, &[intro.id, setup.id])
            .await
            .unwrap_err();
        assert_eq!(e.fields()[0].field, "task_ids", "{backend}");

        // Moving a task to another week puts it last there.
        let moved = curricula::update_task(
            &ctx,
            Some(&admin),
            onboarding.id,
            intro.id,
            TaskPatch {
                week: Some(2),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!((moved.week, moved.position), (2, 2), "{backend}");

        // Copy carries every task; the copy is no template; deleting the original keeps the copy.
        let copy = curricula::copy(&ctx, Some(&admin), onboarding.id, None)
            .await
            .expect(backend);
        assert_eq!(
            (
                copy.curriculum.title.as_str(),
                copy.curriculum.is_template,
                copy.tasks.len()
            ),
            ("Onboarding (copy)", false, 4)
        );
        curricula::update(
            &ctx,
            Some(&admin),
            copy.curriculum.id,
            CurriculumPatch {
                title: Some("Backend onboarding".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        curricula::delete_task(&ctx, Some(&admin), onboarding.id, setup.id)
            .await
            .unwrap();
        curricula::delete(&ctx, Some(&admin), onboarding.id)
            .await
            .expect(backend);
        let e = curricula::get(&ctx, Some(&admin), onboarding.id)
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }));
        let listed = curricula::list(&ctx, Some(&mentor), false, PageRequest::default())
            .await
            .unwrap();
        assert_eq!(
            listed
                .items
                .iter()
                .map(|c| c.title.as_str())
                .collect::<Vec<_>>(),
            ["Backend onboarding"],
            "{backend}"
        );
        assert_eq!(
            curricula::get(&ctx, Some(&mentor), copy.curriculum.id)
                .await
                .unwrap()
                .tasks
                .len(),
            4
        );
        assert_eq!(
            curricula::list(&ctx, Some(&admin), true, PageRequest::default())
                .await
                .unwrap()
                .total,
            0,
            "{backend}"
        );
    })
    .await;
}
