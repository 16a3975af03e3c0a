//! Demo and benchmark data: a company with departments, mentors, mentees, curricula, mentorships
//! and their tasks in every status. Written with bulk inserts in one transaction, so a seed is
//! all there or not at all. Everyone shares one password (hashed once).

use chrono::{DateTime, Days, Utc};
use entity::{
    company, credential, curriculum, department, mentorship, task, task_template, user,
    MentorshipStatus, Role, TaskStatus,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
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

/// What every step writes with: the run's tag (in names and emails) and its clock.
struct Batch {
    tag: String,
    now: DateTime<Utc>,
}

impl Batch {
    fn email(&self, role: Role, i: usize) -> String {
        format!("seed-{}-{role}-{i}@example.test", self.tag)
    }
}

pub async fn run(ctx: &Ctx, spec: SeedSpec) -> Result<SeedReport> {
    if spec.users < 3 || spec.mentorships == 0 {
        return Err(ServiceError::invalid(
            "users",
            "too_small",
            "seed at least 3 people and 1 mentorship",
        ));
    }
    let tag = random_token(6).to_lowercase().replace(['-', '_'], "x");
    let batch = Batch {
        now: Utc::now(),
        tag,
    };
    let pass = format!("seed-{}-password", batch.tag);
    let hash = password::hash(&pass).await?;
    let txn = crate::db::begin(&ctx.db).await?;
    let (company, departments) = company(&txn, &batch).await?;
    let (mentors, mentees) = people(&txn, &batch, company, &departments, spec.users, &hash).await?;
    // Enough curricula that no mentee follows one twice.
    let rounds = spec.mentorships.div_ceil(mentees.len().max(1));
    let curricula = curricula(&txn, &batch, company, rounds, spec.tasks_per_mentorship).await?;
    let pairs = Pairs {
        mentors: &mentors,
        mentees: &mentees,
        curricula: &curricula,
    };
    let tasks = mentorships(&txn, &batch, company, pairs, spec).await?;
    txn.commit().await?;
    Ok(SeedReport {
        company_id: company,
        password: pass,
        admin_email: batch.email(Role::Admin, 0),
        mentor_email: batch.email(Role::Mentor, 0),
        mentee_email: batch.email(Role::Mentee, 0),
        users: spec.users,
        mentorships: spec.mentorships,
        tasks,
    })
}

/// The company and its departments.
async fn company(db: &impl ConnectionTrait, batch: &Batch) -> Result<(i32, Vec<i32>)> {
    let now = batch.now;
    let company = company::ActiveModel {
        name: Set(format!("Seed {}", batch.tag)),
        description: Set("Demo data from `nuri seed`".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
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
        .insert(db)
        .await?;
        departments.push(d.id);
    }
    Ok((company.id, departments))
}

/// One admin, a mentor for every twenty people, the rest mentees, all with the password `hash`:
/// the ids of the mentors and of the mentees.
async fn people(
    db: &impl ConnectionTrait,
    batch: &Batch,
    company: i32,
    departments: &[i32],
    users: usize,
    hash: &str,
) -> Result<(Vec<i32>, Vec<i32>)> {
    let now = batch.now;
    let mentors = (users / 20).max(1);
    let mentees = users - 1 - mentors;
    let person = |role: Role, i: usize, name: String, dept: Option<i32>| user::ActiveModel {
        email: Set(batch.email(role, i)),
        name_key: Set(entity::natural::key(&name)),
        name: Set(name),
        role: Set(role),
        company_id: Set(Some(company)),
        department_id: Set(dept),
        is_platform_admin: Set(false),
        is_active: Set(true),
        token_version: Set(0),
        must_change_password: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let dept = |i: usize| Some(departments[i % departments.len()]);
    let mut rows: Vec<user::ActiveModel> = Vec::with_capacity(users);
    rows.push(person(Role::Admin, 0, "시드 관리자".into(), None));
    rows.extend((0..mentors).map(|i| person(Role::Mentor, i, format!("멘토 {i}"), dept(i))));
    rows.extend((0..mentees).map(|i| person(Role::Mentee, i, format!("멘티 {i}"), dept(i))));
    for chunk in rows.chunks(BATCH) {
        user::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    let created: Vec<(i32, Role)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Role])
        .filter(user::Column::CompanyId.eq(company))
        .order_by_asc(user::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let creds: Vec<credential::ActiveModel> = created
        .iter()
        .map(|(id, _)| credential::ActiveModel {
            user_id: Set(*id),
            password_hash: Set(hash.to_owned()),
            updated_at: Set(now),
        })
        .collect();
    for chunk in creds.chunks(BATCH) {
        credential::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    let with_role = |role: Role| -> Vec<i32> {
        created
            .iter()
            .filter(|(_, r)| *r == role)
            .map(|(id, _)| *id)
            .collect()
    };
    Ok((with_role(Role::Mentor), with_role(Role::Mentee)))
}

/// `rounds` curricula (the first a template) of `tasks` task templates each.
async fn curricula(
    db: &impl ConnectionTrait,
    batch: &Batch,
    company: i32,
    rounds: usize,
    tasks: usize,
) -> Result<Vec<i32>> {
    let now = batch.now;
    let mut curricula = Vec::new();
    for c in 0..rounds {
        let cur = curriculum::ActiveModel {
            company_id: Set(company),
            title: Set(format!("온보딩 과정 {}", c + 1)),
            description: Set("입사 첫 달의 과제".into()),
            is_template: Set(c == 0),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let templates: Vec<task_template::ActiveModel> = (0..tasks)
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
                .exec(db)
                .await?;
        }
        curricula.push(cur.id);
    }
    Ok(curricula)
}

/// Whom the mentorships pair, round-robin, and on which curriculum.
#[derive(Clone, Copy)]
struct Pairs<'a> {
    mentors: &'a [i32],
    mentees: &'a [i32],
    curricula: &'a [i32],
}

/// The mentorships, started over the last 45 days, with their tasks in every status (earlier
/// tasks further along): how many tasks were written.
async fn mentorships(
    db: &impl ConnectionTrait,
    batch: &Batch,
    company: i32,
    pairs: Pairs<'_>,
    spec: SeedSpec,
) -> Result<usize> {
    let now = batch.now;
    let today = today();
    let mut tasks = Vec::with_capacity(BATCH);
    let mut task_count = 0;
    for k in 0..spec.mentorships {
        let mentee = pairs.mentees[k % pairs.mentees.len()];
        let mentor = pairs.mentors[k % pairs.mentors.len()];
        let start = today
            .checked_sub_days(Days::new((k % 45) as u64))
            .unwrap_or(today);
        let m = mentorship::ActiveModel {
            company_id: Set(company),
            mentor_id: Set(mentor),
            mentee_id: Set(mentee),
            curriculum_id: Set(Some(pairs.curricula[k / pairs.mentees.len()])),
            status: Set(MentorshipStatus::Active),
            start_date: Set(start),
            ended_at: Set(None),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for t in 0..spec.tasks_per_mentorship {
            let week = (t / 3 + 1) as i32;
            let status = match (t + k) % 10 {
                0..=3 => TaskStatus::Done,
                4 => TaskStatus::Review,
                5 => TaskStatus::ChangesRequested,
                6 | 7 => TaskStatus::InProgress,
                _ => TaskStatus::Todo,
            };
            tasks.push(task::ActiveModel {
                company_id: Set(company),
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
                    .exec(db)
                    .await?;
            }
        }
    }
    if !tasks.is_empty() {
        task::Entity::insert_many(tasks).exec(db).await?;
    }
    Ok(task_count)
}
