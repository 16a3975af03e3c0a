//! CSV import of people, on every configured backend: all or nothing.

use entity::{PageRequest, Role};
use service::import::import_users;
use service::org::{self, DepartmentInput};
use service::testing::on_every_backend;
use service::users::{self, NewUser, UserQuery};
use service::{auth, Actor, AuthMethod, Registration, ServiceError};

use service::testing::PASSWORD;

#[tokio::test]
async fn preview_names_every_problem_and_import_is_all_or_nothing() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let admin = users::create_by_operator(
            &ctx,
            NewUser::new("admin@a.test", "Admin", Role::Admin, PASSWORD),
        )
        .await
        .unwrap();
        let admin = Actor {
            user: admin,
            via: AuthMethod::Session,
        };
        org::create_department(
            &ctx,
            Some(&admin),
            DepartmentInput {
                name: "Engineering".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let count = || async {
            users::list(
                &ctx,
                Some(&admin),
                UserQuery::default(),
                PageRequest::default(),
            )
            .await
            .unwrap()
            .total
        };

        let broken = "Email,Name,Role,Department,Password\n\
                      kim@a.test,김민수,mentor,engineering,\n\
                      bad-email,Lee,mentee,,\n\
                      park@a.test,Park,boss,Sales,short\n\
                      admin@a.test,Dup,mentee,,\n\
                      kim@a.test,Again,mentee,,\n\
                      \n";
        let preview = import_users(&ctx, Some(&admin), broken, false)
            .await
            .expect(backend);
        assert!(!preview.valid, "{backend}");
        let problems: Vec<(usize, Vec<&str>)> = preview
            .rows
            .iter()
            .map(|r| (r.line, r.errors.iter().map(|e| e.code.as_str()).collect()))
            .collect();
        assert_eq!(
            problems,
            [
                (2, vec![]),
                (3, vec!["invalid_email"]),
                (4, vec!["invalid_role", "unknown_department", "too_short"]),
                (5, vec!["taken"]),
                (6, vec!["duplicate"]),
            ],
            "{backend}"
        );
        let e = import_users(&ctx, Some(&admin), broken, true)
            .await
            .unwrap_err();
        let ServiceError::Invalid(fields) = e else {
            panic!("{backend}: {e:?}")
        };
        assert_eq!(fields[0].field, "line 3: email", "{backend}");
        assert_eq!(count().await, 1, "{backend}: nothing half-imported");

        let good = "email,name,role,department\nkim@a.test,김민수,Mentor,Engineering\nlee@a.test,이지은,mentee,\n";
        let report = import_users(&ctx, Some(&admin), good, true)
            .await
            .expect(backend);
        assert!(report.valid && report.created.len() == 2, "{backend}");
        assert_eq!(count().await, 3, "{backend}");
        let kim = &report.created[0];
        let temporary = kim
            .temporary_password
            .clone()
            .expect("a generated password");
        let signed_in = auth::login(&ctx, "kim@a.test", &temporary, None)
            .await
            .expect(backend);
        assert!(
            signed_in.must_change_password && signed_in.department_id.is_some(),
            "{backend}"
        );
        assert_eq!(signed_in.role, Role::Mentor);

        for (text, code) in [
            ("", "empty"),
            ("name,role\nx,mentee\n", "missing_columns"),
            ("email,name,role\n", "empty"),
        ] {
            let e = import_users(&ctx, Some(&admin), text, false)
                .await
                .unwrap_err();
            assert_eq!(e.fields()[0].code, code, "{backend}: {text:?}");
        }
        let mentee = Actor {
            user: signed_in,
            via: AuthMethod::Session,
        };
        assert!(matches!(
            import_users(&ctx, Some(&mentee), good, false).await,
            Err(ServiceError::Forbidden)
        ));
    })
    .await;
}
