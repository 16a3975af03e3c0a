//! Admins managing people, on every configured backend.

use entity::{PageRequest, Role};
use service::org::{self, CompanyInput, DepartmentInput};
use service::testing::on_every_backend;
use service::users::{self, NewUser, UserPatch, UserQuery};
use service::{auth, Actor, Ctx, Registration, ServiceError};

use service::testing::{actor, PASSWORD};

async fn add(ctx: &Ctx, by: &Actor, email: &str, name: &str, role: Role) -> Actor {
    actor(
        users::create_user(ctx, Some(by), NewUser::new(email, name, role, PASSWORD))
            .await
            .unwrap(),
    )
}

fn query() -> UserQuery {
    UserQuery::default()
}

fn names(page: &entity::Page<entity::user::Model>) -> Vec<&str> {
    page.items.iter().map(|u| u.name.as_str()).collect()
}

#[tokio::test]
async fn search_filter_sort_and_page() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let admin = actor(
            users::create_by_operator(
                &ctx,
                NewUser::new("admin@a.test", "Admin", Role::Admin, PASSWORD),
            )
            .await
            .unwrap(),
        );
        add(&ctx, &admin, "kim@a.test", "김민수", Role::Mentor).await;
        add(&ctx, &admin, "lee@a.test", "이지은", Role::Mentee).await;
        add(&ctx, &admin, "PARK@a.test", "Park Jiho", Role::Mentee).await;
        add(
            &ctx,
            &admin,
            "under_score@a.test",
            "Under Score",
            Role::Mentee,
        )
        .await;
        let all = PageRequest::default();

        let found = users::list(
            &ctx,
            Some(&admin),
            UserQuery {
                q: Some("민수".into()),
                ..query()
            },
            all,
        )
        .await
        .unwrap();
        assert_eq!(names(&found), ["김민수"], "{backend}: Korean names");
        let found = users::list(
            &ctx,
            Some(&admin),
            UserQuery {
                q: Some("park".into()),
                ..query()
            },
            all,
        )
        .await
        .unwrap();
        assert_eq!(
            names(&found),
            ["Park Jiho"],
            "{backend}: any case, name or email"
        );
        let found = users::list(
            &ctx,
            Some(&admin),
            UserQuery {
                q: Some("_".into()),
                ..query()
            },
            all,
        )
        .await
        .unwrap();
        assert_eq!(names(&found), ["Under Score"], "{backend}: _ means itself");

        let mentees = users::list(
            &ctx,
            Some(&admin),
            UserQuery {
                role: Some(Role::Mentee),
                sort: Some("-email".into()),
                ..query()
            },
            all,
        )
        .await
        .unwrap();
        assert_eq!(mentees.total, 3, "{backend}");
        let emails: Vec<&str> = mentees.items.iter().map(|u| u.email.as_str()).collect();
        assert_eq!(
            emails,
            ["under_score@a.test", "park@a.test", "lee@a.test"],
            "{backend}"
        );

        let first = users::list(
            &ctx,
            Some(&admin),
            query(),
            PageRequest::new(Some(1), Some(2)),
        )
        .await
        .unwrap();
        let second = users::list(
            &ctx,
            Some(&admin),
            query(),
            PageRequest::new(Some(2), Some(2)),
        )
        .await
        .unwrap();
        assert_eq!(
            (first.total, first.items.len(), second.items.len()),
            (5, 2, 2),
            "{backend}"
        );
        assert!(
            first
                .items
                .iter()
                .all(|a| second.items.iter().all(|b| a.id != b.id)),
            "{backend}: pages do not overlap"
        );

        let bad = users::list(
            &ctx,
            Some(&admin),
            UserQuery {
                sort: Some("password".into()),
                ..query()
            },
            all,
        )
        .await
        .unwrap_err();
        assert_eq!(bad.fields()[0].field, "sort", "{backend}");
    })
    .await;
}

#[tokio::test]
async fn names_sort_naturally_and_a_rename_moves_the_person() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let admin = actor(
            users::create_by_operator(
                &ctx,
                NewUser::new("admin@a.test", "관리자", Role::Admin, PASSWORD),
            )
            .await
            .unwrap(),
        );
        for (n, name) in ["멘티 10", "멘티 2", "멘티 1", "Mentee b", "mentee A"]
            .iter()
            .enumerate()
        {
            add(&ctx, &admin, &format!("m{n}@a.test"), name, Role::Mentee).await;
        }
        let mentees = UserQuery {
            role: Some(Role::Mentee),
            ..query()
        };
        let all = PageRequest::default();
        let found = users::list(&ctx, Some(&admin), mentees.clone(), all)
            .await
            .unwrap();
        assert_eq!(
            names(&found),
            ["mentee A", "Mentee b", "멘티 1", "멘티 2", "멘티 10"],
            "{backend}"
        );
        let backwards = UserQuery {
            sort: Some("-name".into()),
            ..mentees.clone()
        };
        let found = users::list(&ctx, Some(&admin), backwards, all)
            .await
            .unwrap();
        assert_eq!(names(&found)[0], "멘티 10", "{backend}");

        // Renamed, the person moves to where the new name belongs.
        let ten = found.items[0].id;
        let patch = UserPatch {
            name: Some("멘티 3".into()),
            ..Default::default()
        };
        users::update(&ctx, Some(&admin), ten, patch)
            .await
            .expect(backend);
        let found = users::list(&ctx, Some(&admin), mentees, all).await.unwrap();
        assert_eq!(
            names(&found)[2..],
            ["멘티 1", "멘티 2", "멘티 3"],
            "{backend}"
        );
    })
    .await;
}

#[tokio::test]
async fn edit_deactivate_and_reset() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let root = actor(
            users::create_by_operator(
                &ctx,
                NewUser::new("root@a.test", "Root", Role::Admin, PASSWORD),
            )
            .await
            .unwrap(),
        );
        let admin = add(&ctx, &root, "admin@a.test", "Admin", Role::Admin).await;
        let mentee = add(&ctx, &admin, "m@a.test", "Mentee", Role::Mentee).await;
        let dept = org::create_department(
            &ctx,
            Some(&admin),
            DepartmentInput {
                name: "Eng".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();

        let patch = UserPatch {
            name: Some(" Mentor Kim ".into()),
            role: Some(Role::Mentor),
            department_id: Some(Some(dept.id)),
            is_active: None,
        };
        let updated = users::update(&ctx, Some(&admin), mentee.id(), patch)
            .await
            .expect(backend);
        assert_eq!(
            (updated.name.as_str(), updated.role, updated.department_id),
            ("Mentor Kim", Role::Mentor, Some(dept.id))
        );
        assert_eq!(
            updated.token_version,
            mentee.user.token_version + 1,
            "{backend}: a role change ends old sessions"
        );
        let cleared = users::update(
            &ctx,
            Some(&admin),
            mentee.id(),
            UserPatch {
                department_id: Some(None),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(cleared.department_id, None);

        // Own account: no self-demotion, no self-deactivation; the platform admin is off limits.
        let own = UserPatch {
            role: Some(Role::Mentee),
            is_active: Some(false),
            ..Default::default()
        };
        let e = users::update(&ctx, Some(&admin), admin.id(), own)
            .await
            .unwrap_err();
        let fields: Vec<String> = e.fields().into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["role", "is_active"], "{backend}");
        let e = users::update(
            &ctx,
            Some(&admin),
            root.id(),
            UserPatch {
                is_active: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{backend}: {e:?}");

        // Deactivated: cannot sign in, sessions end; reactivation restores sign-in.
        let pair = auth::tokens::issue_pair(&ctx, &cleared).await.unwrap();
        let off = users::update(
            &ctx,
            Some(&admin),
            mentee.id(),
            UserPatch {
                is_active: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(!off.is_active);
        assert!(
            auth::authenticate_bearer(&ctx, &pair.access_token)
                .await
                .is_err(),
            "{backend}"
        );
        let e = auth::login(&ctx, "m@a.test", PASSWORD, None)
            .await
            .unwrap_err();
        assert_eq!(e.code(), "account_disabled", "{backend}");
        users::update(
            &ctx,
            Some(&admin),
            mentee.id(),
            UserPatch {
                is_active: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        auth::login(&ctx, "m@a.test", PASSWORD, None)
            .await
            .expect(backend);

        // Reset: the temporary password works once the old one no longer does, and a change is due.
        let temporary = users::reset_password(&ctx, Some(&admin), mentee.id())
            .await
            .expect(backend);
        assert!(temporary.len() >= 16);
        assert!(auth::login(&ctx, "m@a.test", PASSWORD, None).await.is_err());
        let signed_in = auth::login(&ctx, "m@a.test", &temporary, None)
            .await
            .expect(backend);
        assert!(signed_in.must_change_password, "{backend}");
        let changed = users::change_password(
            &ctx,
            Some(&actor(signed_in)),
            &temporary,
            "my own new secret",
        )
        .await
        .unwrap();
        assert!(!changed.must_change_password, "{backend}");
        let e = users::reset_password(&ctx, Some(&admin), admin.id())
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::Conflict(_)), "{backend}");
    })
    .await;
}

#[tokio::test]
async fn other_companies_people_are_invisible() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let root = actor(
            users::create_by_operator(
                &ctx,
                NewUser::new("root@a.test", "Root", Role::Admin, PASSWORD),
            )
            .await
            .unwrap(),
        );
        let b = org::create_company(
            &ctx,
            Some(&root),
            CompanyInput {
                name: "B".into(),
                description: None,
            },
        )
        .await
        .unwrap();
        let admin_a = add(&ctx, &root, "admin@a.test", "A", Role::Admin).await;
        let in_b = NewUser {
            company_id: Some(b.id),
            ..NewUser::new("admin@b.test", "B", Role::Admin, PASSWORD)
        };
        let admin_b = actor(users::create_user(&ctx, Some(&root), in_b).await.unwrap());
        let mentor_a = add(&ctx, &admin_a, "mentor@a.test", "Mentor", Role::Mentor).await;

        let e = users::get(&ctx, Some(&admin_b), mentor_a.id())
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");
        let e = users::reset_password(&ctx, Some(&admin_b), mentor_a.id())
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");
        let listed = users::list(
            &ctx,
            Some(&admin_b),
            UserQuery::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
        assert_eq!(names(&listed), ["B"], "{backend}");
        let e = users::list(
            &ctx,
            Some(&admin_b),
            UserQuery {
                company_id: root.user.company_id,
                ..query()
            },
            PageRequest::default(),
        )
        .await
        .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");
        let e = users::list(
            &ctx,
            Some(&mentor_a),
            UserQuery::default(),
            PageRequest::default(),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(e, ServiceError::Forbidden),
            "{backend}: mentors do not manage people"
        );
        let everyone = users::list(
            &ctx,
            Some(&root),
            UserQuery::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
        assert_eq!(
            everyone.total, 4,
            "{backend}: the platform admin sees every company"
        );
    })
    .await;
}
