//! Demo and benchmark data: a company with departments, mentors, mentees, curricula, mentorships
//! and their tasks in every status. Written with bulk inserts in one transaction, so a seed is
//! all there or not at all. Everyone shares one password (hashed once).

use chrono::{Days, Utc};
use entity::{
    company, credential, curriculum, department, mentorship, task, task_template, user,
    MentorshipStatus, Role, TaskStatus,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::auth::password;
use crate::mentorships::due_date;
use crate::notifications::today;
use crate::secrets::random_token;
use crate::{Ctx, Result, ServiceError};

#[derive(Debug, Clone, Copy)]
pub struct SeedSpec {
    /// People in the new company, its admin included.
    pub users: usize,
    pub mentorships: usize,
    pub tasks_per_mentorship: usize,
}

#[derive(Debug, Clone)]
pub struct SeedReport {
    pub company_id: i32,
    pub password: String,
    pub admin_email: String,
    pub mentor_email: String,
    pub mentee_email: String,
    pub users: usize,
    pub mentorships: usize,
    pub tasks: usize,
}

const BATCH: usize = 400;
const DEPARTMENTS: [&str; 8] = [
    "개발",
    "디자인",
    "영업",
    "마케팅",
    "인사",
    "재무",
    "데이터",
    "운영",
];

pub async fn run(ctx: &Ctx, spec: SeedSpec) -> Result<SeedReport> {
    if spec.users < 3 || spec.mentorships == 0 {
        return Err(ServiceError::invalid(
            "users",
            "too_small",
            "seed at least 3 people and 1 mentorship",
        ));
    }
    let tag = random_token(6).to_lowercase().replace(['-', '_'], "x");
    let pass = format!("seed-{tag}-password");
    let hash = password::hash(&pass).await?;
    let now = Utc::now();
    let txn = crate::db::begin(&ctx.db).await?;

    let company = company::ActiveModel {
        name: Set(format!("Seed {tag}")),
        description: Set("Demo data from `nuri seed`".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut departments = Vec::new();
    for name in DEPARTMENTS {
        let d = department::ActiveModel {
            company_id: Set(company.id),
            name: Set(name.into()),
            description: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        departments.push(d.id);
    }

    // One admin, a mentor for every twenty people, the rest mentees.
    let mentors = (spec.users / 20).max(1);
    let mentees = spec.users - 1 - mentors;
    let email = |role: &str, i: usize| format!("seed-{tag}-{role}-{i}@example.test");
    let mut people: Vec<user::ActiveModel> = Vec::with_capacity(spec.users);
    let mut person = |email: String, name: String, role: Role, dept: Option<i32>| {
        people.push(user::ActiveModel {
            email: Set(email),
            name: Set(name),
            role: Set(role),
            company_id: Set(Some(company.id)),
            department_id: Set(dept),
            is_platform_admin: Set(false),
            is_active: Set(true),
            token_version: Set(0),
            must_change_password: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
    };
    person(email("admin", 0), "시드 관리자".into(), Role::Admin, None);
    for i in 0..mentors {
        let dept = departments[i % departments.len()];
        person(
            email("mentor", i),
            format!("멘토 {i}"),
            Role::Mentor,
            Some(dept),
        );
    }
    for i in 0..mentees {
        let dept = departments[i % departments.len()];
        person(
            email("mentee", i),
            format!("멘티 {i}"),
            Role::Mentee,
            Some(dept),
        );
    }
    for chunk in people.chunks(BATCH) {
        user::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    let created: Vec<(i32, Role)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Role])
        .filter(user::Column::CompanyId.eq(company.id))
        .order_by_asc(user::Column::Id)
        .into_tuple()
        .all(&txn)
        .await?;
    let creds: Vec<credential::ActiveModel> = created
        .iter()
        .map(|(id, _)| credential::ActiveModel {
            user_id: Set(*id),
            password_hash: Set(hash.clone()),
            updated_at: Set(now),
        })
        .collect();
    for chunk in creds.chunks(BATCH) {
        credential::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    let mentor_ids: Vec<i32> = created
        .iter()
        .filter(|(_, r)| *r == Role::Mentor)
        .map(|(id, _)| *id)
        .collect();
    let mentee_ids: Vec<i32> = created
        .iter()
        .filter(|(_, r)| *r == Role::Mentee)
        .map(|(id, _)| *id)
        .collect();

    // Enough curricula that no mentee follows one twice.
    let rounds = spec.mentorships.div_ceil(mentee_ids.len().max(1));
    let mut curricula = Vec::new();
    for c in 0..rounds {
        let cur = curriculum::ActiveModel {
            company_id: Set(company.id),
            title: Set(format!("온보딩 과정 {}", c + 1)),
            description: Set("입사 첫 달의 과제".into()),
            is_template: Set(c == 0),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let templates: Vec<task_template::ActiveModel> = (0..spec.tasks_per_mentorship)
            .map(|t| task_template::ActiveModel {
                curriculum_id: Set(cur.id),
                week: Set((t / 3 + 1) as i32),
                position: Set((t % 3 + 1) as i32),
                title: Set(format!("과제 {}", t + 1)),
                description: Set(format!("**{}번째** 과제입니다.", t + 1)),
                expected_days: Set(3),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .collect();
        for chunk in templates.chunks(BATCH) {
            task_template::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        curricula.push(cur.id);
    }

    let today = today();
    let mut tasks = Vec::with_capacity(BATCH);
    let mut task_count = 0;
    for k in 0..spec.mentorships {
        let mentee = mentee_ids[k % mentee_ids.len()];
        let mentor = mentor_ids[k % mentor_ids.len()];
        let start = today
            .checked_sub_days(Days::new((k % 45) as u64))
            .unwrap_or(today);
        let m = mentorship::ActiveModel {
            company_id: Set(company.id),
            mentor_id: Set(mentor),
            mentee_id: Set(mentee),
            curriculum_id: Set(Some(curricula[k / mentee_ids.len()])),
            status: Set(MentorshipStatus::Active),
            start_date: Set(start),
            ended_at: Set(None),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for t in 0..spec.tasks_per_mentorship {
            let week = (t / 3 + 1) as i32;
            // Earlier tasks are further along; the mix covers every status.
            let status = match (t + k) % 10 {
                0..=3 => TaskStatus::Done,
                4 => TaskStatus::Review,
                5 => TaskStatus::ChangesRequested,
                6 | 7 => TaskStatus::InProgress,
                _ => TaskStatus::Todo,
            };
            tasks.push(task::ActiveModel {
                company_id: Set(company.id),
                mentorship_id: Set(m.id),
                assignee_id: Set(mentee),
                template_id: Set(None),
                title: Set(format!("과제 {}", t + 1)),
                description: Set(format!("**{}번째** 과제입니다.", t + 1)),
                week: Set(week),
                position: Set((t % 3 + 1) as i32),
                due_date: Set(due_date(start, week, 3)),
                status: Set(status),
                started_at: Set((status != TaskStatus::Todo).then_some(now)),
                submitted_at: Set(
                    matches!(status, TaskStatus::Review | TaskStatus::Done).then_some(now)
                ),
                completed_at: Set((status == TaskStatus::Done).then_some(now)),
                overdue_notified: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
            task_count += 1;
            if tasks.len() == BATCH {
                task::Entity::insert_many(std::mem::take(&mut tasks))
                    .exec(&txn)
                    .await?;
            }
        }
    }
    if !tasks.is_empty() {
        task::Entity::insert_many(tasks).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(SeedReport {
        company_id: company.id,
        password: pass,
        admin_email: email("admin", 0),
        mentor_email: email("mentor", 0),
        mentee_email: email("mentee", 0),
        users: spec.users,
        mentorships: spec.mentorships,
        tasks: task_count,
    })
}
