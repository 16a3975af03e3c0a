//! Companies and departments on every configured backend: validation, uniqueness, company
//! scoping, and "delete only when empty".

use entity::{PageRequest, Role};
use service::org::{self, CompanyInput, DepartmentInput, Patch};
use service::testing::{backends, on_every_backend, TestDb};
use service::users::{self, NewUser};
use service::{Actor, Ctx, Registration, ServiceError};

use service::testing::{actor, PASSWORD};

/// The platform admin (first operator-made admin) and the company it lives in.
async fn platform(ctx: &Ctx) -> Actor {
    actor(
        users::create_by_operator(
            ctx,
            NewUser::new("root@example.com", "Root", Role::Admin, PASSWORD),
        )
        .await
        .unwrap(),
    )
}

async fn member(ctx: &Ctx, by: &Actor, email: &str, role: Role, company: i32) -> Actor {
    let input = NewUser {
        company_id: Some(company),
        ..NewUser::new(email, "Member", role, PASSWORD)
    };
    actor(users::create_user(ctx, Some(by), input).await.unwrap())
}

fn company(name: &str) -> CompanyInput {
    CompanyInput {
        name: name.into(),
        description: Some("  about  ".into()),
    }
}

fn department(name: &str, company_id: Option<i32>) -> DepartmentInput {
    DepartmentInput {
        name: name.into(),
        description: None,
        company_id,
    }
}

#[tokio::test]
async fn the_platform_admin_runs_companies() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let root = platform(&ctx).await;
        assert!(root.user.is_platform_admin, "{backend}");
        let acme = org::create_company(&ctx, Some(&root), company("  Acme  "))
            .await
            .expect(backend);
        assert_eq!(
            (acme.name.as_str(), acme.description.as_str()),
            ("Acme", "about")
        );

        let dup = org::create_company(&ctx, Some(&root), company("Acme"))
            .await
            .unwrap_err();
        assert!(
            matches!(&dup, ServiceError::Conflict(f) if f.field == "name" && f.code == "taken"),
            "{backend}: {dup:?}"
        );
        let bad = org::create_company(
            &ctx,
            Some(&root),
            CompanyInput {
                name: " ".into(),
                description: Some("x".repeat(2001)),
            },
        )
        .await
        .unwrap_err();
        let fields: Vec<String> = bad.fields().into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["name", "description"], "{backend}");

        let acme_admin = member(&ctx, &root, "admin@acme.test", Role::Admin, acme.id).await;
        let e = org::create_company(&ctx, Some(&acme_admin), company("Other"))
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{backend}");

        // A company admin renames their own company but cannot see another.
        let renamed = org::update_company(
            &ctx,
            Some(&acme_admin),
            acme.id,
            Patch {
                name: Some("Acme Korea".into()),
                description: None,
            },
        )
        .await
        .expect(backend);
        assert_eq!(
            (renamed.name.as_str(), renamed.description.as_str()),
            ("Acme Korea", "about")
        );
        let home = root.user.company_id.unwrap();
        let e = org::get_company(&ctx, Some(&acme_admin), home)
            .await
            .unwrap_err();
        assert!(
            matches!(e, ServiceError::NotFound { .. }),
            "{backend}: other companies are invisible"
        );
        let page = org::list_companies(&ctx, Some(&acme_admin), PageRequest::default())
            .await
            .unwrap();
        assert_eq!((page.total, page.items[0].id), (1, acme.id), "{backend}");
        let all = org::list_companies(&ctx, Some(&root), PageRequest::new(Some(1), Some(1)))
            .await
            .unwrap();
        assert_eq!(
            (all.total, all.items.len(), all.per_page),
            (2, 1, 1),
            "{backend}"
        );

        // Only empty companies go.
        let e = org::delete_company(&ctx, Some(&root), acme.id)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, ServiceError::Conflict(f) if f.code == "not_empty"),
            "{backend}: {e:?}"
        );
        let empty = org::create_company(&ctx, Some(&root), company("Empty"))
            .await
            .unwrap();
        org::delete_company(&ctx, Some(&root), empty.id)
            .await
            .expect(backend);
        let e = org::get_company(&ctx, Some(&root), empty.id)
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }));
    })
    .await;
}

#[tokio::test]
async fn departments_belong_to_one_company() {
    on_every_backend(Registration::Invite, |ctx, backend| async move {
        let root = platform(&ctx).await;
        let a = org::create_company(&ctx, Some(&root), company("A"))
            .await
            .unwrap();
        let b = org::create_company(&ctx, Some(&root), company("B"))
            .await
            .unwrap();
        let admin_a = member(&ctx, &root, "admin@a.test", Role::Admin, a.id).await;
        let admin_b = member(&ctx, &root, "admin@b.test", Role::Admin, b.id).await;
        let mentor_a = member(&ctx, &admin_a, "mentor@a.test", Role::Mentor, a.id).await;

        let eng = org::create_department(&ctx, Some(&admin_a), department("Engineering", None))
            .await
            .expect(backend);
        assert_eq!(
            eng.company_id, a.id,
            "{backend}: defaults to the caller's company"
        );
        // The same name is fine in another company, not twice in one.
        org::create_department(&ctx, Some(&admin_b), department("Engineering", None))
            .await
            .expect(backend);
        let dup = org::create_department(&ctx, Some(&admin_a), department("Engineering", None))
            .await
            .unwrap_err();
        assert!(
            matches!(&dup, ServiceError::Conflict(f) if f.field == "name"),
            "{backend}"
        );

        // Mentors see their company's departments but do not manage them; other companies see nothing.
        let seen = org::list_departments(&ctx, Some(&mentor_a), None, PageRequest::default())
            .await
            .unwrap();
        assert_eq!(
            seen.items
                .iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>(),
            ["Engineering"]
        );
        let e = org::create_department(&ctx, Some(&mentor_a), department("Sales", None))
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{backend}");
        let e = org::create_department(&ctx, Some(&admin_b), department("Sales", Some(a.id)))
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");
        let e = org::update_department(
            &ctx,
            Some(&admin_b),
            eng.id,
            Patch {
                name: Some("X".into()),
                description: None,
            },
        )
        .await
        .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");
        let e = org::list_departments(&ctx, Some(&admin_b), Some(a.id), PageRequest::default())
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound { .. }), "{backend}");

        // People are placed in a department of their own company only.
        let wrong = NewUser {
            department_id: Some(eng.id),
            ..NewUser::new("x@b.test", "X", Role::Mentee, PASSWORD)
        };
        let e = users::create_user(&ctx, Some(&admin_b), wrong)
            .await
            .unwrap_err();
        assert_eq!(e.fields()[0].code, "unknown_department", "{backend}");
        let placed = NewUser {
            department_id: Some(eng.id),
            ..NewUser::new("dev@a.test", "Dev", Role::Mentee, PASSWORD)
        };
        let dev = users::create_user(&ctx, Some(&admin_a), placed)
            .await
            .expect(backend);
        assert_eq!(
            (dev.company_id, dev.department_id),
            (Some(a.id), Some(eng.id))
        );
        let e = users::create_user(
            &ctx,
            Some(&admin_a),
            NewUser {
                company_id: Some(b.id),
                ..NewUser::new("y@b.test", "Y", Role::Mentee, PASSWORD)
            },
        )
        .await
        .unwrap_err();
        assert!(
            matches!(e, ServiceError::Forbidden),
            "{backend}: no accounts in other companies"
        );

        let e = org::delete_department(&ctx, Some(&admin_a), eng.id)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, ServiceError::Conflict(f) if f.code == "not_empty"),
            "{backend}"
        );
        let sales = org::create_department(&ctx, Some(&admin_a), department("Sales", None))
            .await
            .unwrap();
        let renamed = org::update_department(
            &ctx,
            Some(&admin_a),
            sales.id,
            Patch {
                name: None,
                description: Some("Deals".into()),
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (renamed.name.as_str(), renamed.description.as_str()),
            ("Sales", "Deals")
        );
        org::delete_department(&ctx, Some(&admin_a), sales.id)
            .await
            .expect(backend);

        // Admins list only their own people.
        let all = PageRequest::new(None, Some(100));
        let people = users::list(&ctx, Some(&admin_b), Default::default(), all)
            .await
            .unwrap();
        assert!(
            people.items.iter().all(|u| u.company_id == Some(b.id)),
            "{backend}"
        );
        let everyone = users::list(&ctx, Some(&root), Default::default(), all).await;
        assert_eq!(everyone.unwrap().items.len(), 5);
    })
    .await;
}

#[tokio::test]
async fn an_upgraded_instance_puts_everyone_in_one_company() {
    use migration::{Migrator, MigratorTrait};
    for backend in backends() {
        let (tdb, db) = TestDb::new(backend).await;
        // Back to the identity-only schema (the first migration), with people in it, then forward.
        Migrator::down(&db, Some(Migrator::migrations().len() as u32 - 1))
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        for (i, role) in ["mentee", "admin", "admin"].iter().enumerate() {
            let sql = format!(
                "INSERT INTO {q}user{q} (email, name, role, is_active, token_version, must_change_password, created_at, updated_at) \
                 VALUES ('u{i}@example.com', 'U', '{role}', {t}, 0, {f}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                q = if backend == "mysql" { "`" } else { "\"" },
                t = if backend == "postgres" { "TRUE" } else { "1" },
                f = if backend == "postgres" { "FALSE" } else { "0" },
            );
            sea_orm::ConnectionTrait::execute_unprepared(&db, &sql)
                .await
                .unwrap_or_else(|e| panic!("{backend}: {e}"));
        }
        Migrator::up(&db, None)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        let people = <entity::user::Entity as sea_orm::EntityTrait>::find()
            .all(&db)
            .await
            .unwrap();
        let company = people[0].company_id.expect("placed in a company");
        assert!(
            people.iter().all(|u| u.company_id == Some(company)),
            "{backend}"
        );
        let platform: Vec<&str> = people
            .iter()
            .filter(|u| u.is_platform_admin)
            .map(|u| u.email.as_str())
            .collect();
        assert_eq!(
            platform,
            ["u1@example.com"],
            "{backend}: the first admin runs the platform"
        );
        tdb.finish(db).await;
    }
}
