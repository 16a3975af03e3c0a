//! Reading the "new mentorship" form: who may take which side, and the people, curriculum and
//! start date it names, every problem reported at once.

use chrono::NaiveDate;
use entity::{curriculum, user, FieldError, Role};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::{parse_date, MentorshipInput};
use crate::error::{AllValid, Checked, Problems};
use crate::policy::{self, Action, Caller};
use crate::{Actor, Ctx, Result, ServiceError};

/// The two sides of a mentorship and who may take each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Mentor,
    Mentee,
}

impl Side {
    /// A mentee cannot mentor; only a mentee is mentored.
    pub(crate) fn fits(self, role: Role) -> bool {
        match self {
            Side::Mentor => role != Role::Mentee,
            Side::Mentee => role == Role::Mentee,
        }
    }

    fn field(self) -> &'static str {
        match self {
            Side::Mentor => "mentor_id",
            Side::Mentee => "mentee_id",
        }
    }

    fn misfit(self) -> FieldError {
        match self {
            Side::Mentor => {
                FieldError::new("mentor_id", "not_a_mentor", "a mentee cannot be a mentor")
            }
            Side::Mentee => {
                FieldError::new("mentee_id", "not_a_mentee", "only a mentee can be mentored")
            }
        }
    }
}

/// Person `id` of `company`, active and fit for `side`.
async fn person_in(
    db: &impl ConnectionTrait,
    side: Side,
    id: Option<i32>,
    company: i32,
) -> Result<Checked<user::Model>> {
    let field = side.field();
    let Some(id) = id else {
        return Ok(Err(vec![FieldError::new(
            field,
            "required",
            "choose a person",
        )]));
    };
    let Some(found) = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.company_id == Some(company))
    else {
        return Ok(Err(vec![FieldError::new(
            field,
            "unknown",
            "no such person in this company",
        )]));
    };
    let mut problems = Problems::default();
    if !found.is_active {
        problems.add(field, "inactive", "this person is deactivated");
    }
    if !side.fits(found.role) {
        problems.push(side.misfit());
    }
    Ok(problems.into_checked(found))
}

async fn curriculum_in(
    db: &impl ConnectionTrait,
    id: Option<i32>,
    company: i32,
) -> Result<Checked<curriculum::Model>> {
    let Some(id) = id else {
        return Ok(Err(vec![FieldError::new(
            "curriculum_id",
            "required",
            "choose a curriculum",
        )]));
    };
    Ok(curriculum::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| c.company_id == company)
        .ok_or_else(|| {
            vec![FieldError::new(
                "curriculum_id",
                "unknown",
                "no such curriculum",
            )]
        }))
}

/// A pairing whose every part was found and fits.
pub(super) struct NewPairing {
    pub mentor: user::Model,
    pub mentee: user::Model,
    pub curriculum: curriculum::Model,
    pub start: NaiveDate,
}

/// Reads the form into a pairing of `company`, reporting every problem at once.
pub(super) async fn check(
    db: &impl ConnectionTrait,
    company: i32,
    input: &MentorshipInput,
) -> Result<NewPairing> {
    let mentor = person_in(db, Side::Mentor, input.mentor_id, company).await?;
    let mut mentee = person_in(db, Side::Mentee, input.mentee_id, company).await?;
    if input.mentee_id.is_some() && input.mentor_id == input.mentee_id {
        let same = FieldError::new(
            "mentee_id",
            "same_person",
            "a person cannot mentor themselves",
        );
        mentee = Err(mentee
            .err()
            .unwrap_or_default()
            .into_iter()
            .chain([same])
            .collect());
    }
    let curriculum = curriculum_in(db, input.curriculum_id, company).await?;
    let start = parse_date("start_date", &input.start_date);
    let (mentor, mentee, curriculum, start) = (mentor, mentee, curriculum, start).all_valid()?;
    Ok(NewPairing {
        mentor,
        mentee,
        curriculum,
        start,
    })
}

/// The company a new mentorship belongs to: the caller's, or for the platform admin (who has
/// none of their own) the mentee's.
pub(super) async fn company_for(ctx: &Ctx, me: &Actor, mentee: Option<i32>) -> Result<i32> {
    if let Some(company) = me.user.company_id {
        return Ok(company);
    }
    let Some(id) = mentee else {
        return Err(ServiceError::invalid(
            "mentee_id",
            "required",
            "choose a mentee",
        ));
    };
    user::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .and_then(|u| u.company_id)
        .ok_or_else(|| ServiceError::invalid("mentee_id", "unknown", "no such person"))
}

/// What the "new mentorship" form offers, as `(id, label)`: the company's active people who fit
/// each side, and its curricula; `None` when the caller may not create a mentorship (the page
/// then shows no form, without treating that as an error).
pub async fn candidates(ctx: &Ctx, actor: Option<&Actor>) -> Result<Option<Candidates>> {
    let me = policy::require(actor, Action::ViewOwnAccount)?;
    let company = me.user.company_id.unwrap_or(-1);
    if !policy::allowed(Some(Caller::from(me)), Action::CreateMentorship(company)) {
        return Ok(None);
    }
    let people = crate::users::choices(ctx, actor).await?;
    let fit = |side: Side| {
        people
            .iter()
            .filter(|(_, _, role)| side.fits(*role))
            .map(|(id, name, _)| (*id, name.clone()))
            .collect()
    };
    let all = entity::PageRequest::new(Some(1), Some(entity::page::MAX_PER_PAGE));
    let curricula = crate::curricula::list(ctx, actor, false, all).await?;
    Ok(Some(Candidates {
        mentors: fit(Side::Mentor),
        mentees: fit(Side::Mentee),
        curricula: curricula
            .items
            .into_iter()
            .map(|c| (c.id, c.title))
            .collect(),
    }))
}

/// The choices of the "new mentorship" form, each as `(id, label)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidates {
    pub mentors: Vec<(i32, String)>,
    pub mentees: Vec<(i32, String)>,
    pub curricula: Vec<(i32, String)>,
}
