"""The incident model: what the police were told, and what they recorded.

An incident is one contact (a call, an online report, a referral). It may disclose several offences
(disclosures), each judged on its own, and carries the records the force made from it: crime records,
N100 records for rape reports not crimed at once, and their transfers and cancellations. Auditors export one
incident per record; everything a rule needs to judge it is inside that record, which is what lets the engine
stream any number of incidents in flat memory.

Codes the force could get wrong (a C-code, an N100 reason) are plain text here: a wrong code is a recording
failure for the rules to report, not an input error. Codes that describe the input itself (channels, roles)
are closed sets, so a typo is caught as an input error naming the field.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hocr_rules.model.timestamps import Timestamp

Channel = Literal["emergency_call", "non_emergency_call", "online", "front_counter", "police_generated",
                  "agency_referral", "public_protection", "other"]
Qualifier = Literal["domestic_abuse", "vulnerable_victim", "adult_at_risk", "child_at_risk", "hate_crime",
                    "mental_health", "school_premises", "antisocial_behaviour", "missing_person", "sexual_offence",
                    "alcohol", "marac"]
Relationship = Literal["partner", "ex_partner", "family", "carer", "acquaintance", "stranger", "other", "unknown"]
Reporter = Literal["victim", "on_behalf_of_victim", "parent_or_carer", "witness", "professional_third_party",
                   "other_third_party", "police"]
Confirmation = Literal["yes", "no", "not_asked", "untraceable"]
FindingSource = Literal["auditor", "structured_field", "incident_code"]
Role = Literal["force_crime_registrar", "deputy_force_crime_registrar", "designated_decision_maker",
               "investigating_officer", "supervisor", "chief_officer", "other"]
Flag = Literal["domestic_abuse", "hate_crime", "metal_theft", "online_crime", "child_sexual_abuse",
               "child_sexual_exploitation", "alcohol", "corrosive", "honour_based_abuse", "spiking"]
Status = Literal["recorded", "transferred", "cancelled"]
#: What a force's own code means, in one vocabulary for every force. A force mapping translates its codes into
#: these (a code means what it meant on the incident's date); crime indicators read only these, never a
#: force's codes, so one indicator file serves all 43 forces.
CodeMeaning = Literal[
    # how the incident was closed
    "crime", "crime_related_incident", "no_crime", "antisocial_behaviour", "concern_for_welfare",
    "missing_person", "mental_health", "advice_given", "duplicate", "transferred_elsewhere",
    # what it was about: the families of offence a code points to
    "domestic_abuse", "violence", "sexual_offence", "threats", "harassment_or_stalking", "theft", "burglary",
    "robbery", "criminal_damage", "fraud", "public_order", "hate", "child_protection", "school_premises"]
CodeField = Literal["opening_code", "closing_code", "initial_classification", "final_classification", "result_code",
                    "qualifier"]
LogEntryKind = Literal["remark", "disposal", "qualifier", "classification_change", "cross_reference"]
NrmDecision = Literal["negative_reasonable_grounds", "negative_conclusive_grounds"]
#: What a record says about a yes/no question, kept apart from the export not saying (the field absent):
#: "not_known" is the force recording that it does not know, which is a finding; an absent field is not.
Recorded = Literal["yes", "no", "not_known"]
#: Who authorised an outcome, by rank or its police staff equivalent, as the outcomes framework weighs it: an
#: inspector or above, police staff of that grade, or a member of an independent decision-making team working to
#: the Force Crime Registrar unit (2026/27 pp. 22-23; OFG pp. 15, 23).
AuthoriserRank = Literal["constable", "sergeant", "inspector", "chief_inspector", "superintendent_or_above",
                         "police_staff", "police_staff_inspector_equivalent", "fcr_decision_team", "not_known"]
#: What the victim wants done about the crime, as recorded: the victim's view decides between outcomes 15 and 16
#: (and 14 and 18), and police being unable to reach the victim is not the victim declining (OFG pp. 17-19).
VictimWishes = Literal["supports_action", "does_not_support_action", "not_contactable", "not_known"]
#: The force's domestic abuse risk assessment of the crime (DASH or its successor): high-risk domestic abuse
#: needs an inspector's authority for outcomes 15 and 16 (2026/27 pp. 22-23).
RiskLevel = Literal["standard", "medium", "high", "not_known"]
#: The five monitored strands of hate crime (2026/27 p. 26).
HateStrand = Literal["disability", "transgender", "race", "religion", "sexual_orientation"]
#: The steps of the assault ladder by injury (2026/27 pp. 42-45): 105A without injury, s47 ABH, s20/s18 serious harm.
Injury = Literal["none", "actual_bodily_harm", "serious_harm"]
#: What a threat threatened, in the terms that decide its offence (2026/27 pp. 38, 45, 59-61): 'death' (threats to
#: kill, or a threatening communication); 'serious_harm', grievous bodily harm, rape, assault by penetration or
#: serious financial loss (a threatening communication, 005/28); 'violence', lesser violence to the person,
#: putting the victim in fear of it; 'other', anything else (damage, disclosure, a vague threat).
ThreatOf = Literal["death", "serious_harm", "violence", "other"]
#: How the threat reached the victim: face to face, or as a message (a call, letter, email, text or social media
#: post; 2026/27 pp. 38, 61).
ThreatConveyed = Literal["in_person", "message"]
#: The recording decision maker's judgement of the offender's intent (2026/27 p. 38: threats to kill need the
#: intent that the victim fear it would be carried out; p. 60: a threatening communication, intent or
#: recklessness).
ThreatIntent = Literal["intended", "reckless", "neither", "not_known"]
#: The religion sub-flags that capture the perceived religion, belief or faith targeted by a religious hate crime
#: (2026/27 p. 27): the religion the offender targeted, when known.
ReligionFlag = Literal["christian", "buddhist", "hindu", "jewish", "muslim", "sikh", "other", "no_religion",
                       "unknown"]
#: The two metal theft flags, one and only one of which a metal theft carries (2026/27 p. 27).
MetalTheftFlag = Literal["infrastructure", "non_infrastructure"]
#: Whether the victim was, when assaulted, a constable or another emergency worker (Assaults on Emergency Workers
#: (Offences) Act 2018 s3: police staff, NCA, prison and custody officers, fire, ambulance, search and rescue,
#: NHS health services), or neither: it decides between 8S/104, 8T/105A (008/73) and the general classes (p. 45).
WorkerRole = Literal["constable", "emergency_worker", "neither"]
#: Where an N100 stands (2026/27 p. 63): 'open', held as a reported incident of rape under its N100 code;
#: 'crimed', reclassified as the confirmed crime its `rape_crime` names; 'cancelled', removed from the force crime
#: system, which the rules allow only for a genuine error by the person taking the report.
N100Status = Literal["open", "crimed", "cancelled"]
#: Why an N100 was cancelled, in the terms of p. 63: 'error_taking_report', a genuine error by the person taking
#: the report (what was reported was no rape or attempted rape, or it was made on the wrong incident or person);
#: 'duplicate', a second N100 for a victim-offender relationship already held; 'not_confirmed',
#: 'evidence_to_the_contrary' and 'other_force_area', the grounds on which an N100 stays as N100/01, /02 or /03
#: rather than going; 'other', any other reason.
N100CancellationReason = Literal["error_taking_report", "duplicate", "not_confirmed", "evidence_to_the_contrary",
                                 "other_force_area", "other"]


class Record(BaseModel):
    """Every input record rejects unknown fields: a misspelt field is an error, not silently ignored data.
    Validators are built on first use (`defer_build`): building each nested model's own at import cost 0.2 s
    of every run's start-up, and the incident's validator builds the nested ones it needs."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Person(Record):
    """Someone in the incident. Equality data are optional: their absence is what the equality rule reports."""

    id: str = Field(min_length=1)
    age: int | None = Field(default=None, ge=0, le=130)
    sex: Literal["female", "male", "unknown"] | None = None
    ethnicity: str | None = None
    disability: bool | None = None
    religion: str | None = None
    sexual_orientation: str | None = None
    gender_reassignment: bool | None = None
    marriage_or_civil_partnership: bool | None = None
    pregnancy_or_maternity: bool | None = None
    relationship_to_offender: Relationship | None = Field(
        default=None, description="The victim's relationship to the offender of the disclosure.")
    household: str | None = Field(
        default=None, description="An id shared by the people of one household: one burglary per household "
                                  "burgled, one pedal cycle theft per household (2026/27 pp. 73, 79).")
    business: str | None = Field(
        default=None, description="An id of the business whose property the person held: one robbery of "
                                  "business property per business (2026/27 p. 72).")
    worker_role: WorkerRole | None = Field(
        default=None, description="Whether the person is a constable, another emergency worker (AEW(O)A 2018 s3) "
                                  "or neither: an assault on one in the execution of their duty is 8S/104 or "
                                  "8T/105A (2026/27 p. 45). Absent: not exported.")
    on_duty: bool | None = Field(
        default=None, description="For a constable or emergency worker: whether they were acting in the execution "
                                  "of their duty when the offence happened. Absent: not recorded.")


class LogEntry(Record):
    """One timestamped action on the incident log, as the command-and-control system printed it.

    The log is where inspectors find the crimes nobody coded: the call handler's and the officer's own words.
    Entries keep the export's text untouched so that a finding can quote it; a time the export did not give
    stays unknown rather than being guessed from its neighbours.
    """

    at: Timestamp | None = Field(default=None, description="When the entry was made; absent if not exported.")
    author: str | None = Field(default=None, description="The author's id as the export gives it.")
    text: str = Field(default="", description="The entry's free text, as exported.")
    kind: LogEntryKind | None = Field(
        default=None, description="The entry's kind where the export says one; absent when it does not.")
    sequence: int | None = Field(default=None, description="The export's own sequence number, if any.")


class LogSpan(Record):
    """Where in the incident log a disclosure came from, so a finding can quote the words."""

    entry: int = Field(ge=0, description="Index into the incident's `log`.")
    start: int = Field(default=0, ge=0, description="First character of the quoted text in the entry.")
    end: int | None = Field(default=None, ge=0, description="One past the last character; absent: to the end.")


class CodeReading(Record):
    """One force code on the incident with what the force mapping says it means, so a finding can quote the
    code the force used while rules and indicators read only the shared meanings."""

    field: CodeField
    code: str = Field(min_length=1)
    means: list[CodeMeaning] = Field(default_factory=list, description="Empty: the mapping gives it no meaning.")


class Disclosure(Record):
    """One alleged offence disclosed in the incident."""

    id: str = Field(min_length=1)
    disclosed_at: Timestamp | None = Field(
        default=None, description="When this offence was first disclosed; absent means when the incident was received.")
    offence: str = Field(min_length=1, description="HO classification (e.g. 8L) or Home Office offence code (008/30).")
    victims: list[str] = Field(default_factory=list, description="Person ids; empty when no victim is identified.")
    offenders: list[str] = Field(default_factory=list)
    reported_by: Reporter
    victim_confirmed: Confirmation = "not_asked"
    confirmed_at: Timestamp | None = Field(
        default=None, description="When the victim (or someone acting for them) confirmed the offence.")
    victim_expected_to_confirm: bool = Field(
        default=True, description="False when the victim cannot be expected to confirm (a young child, incapacity).")
    recording_necessary: bool = Field(
        default=False, description="The 'appropriate/necessary' ground (clear grounds, identifiable victim, risk) "
                                   "or, for an offence against the state, the points to prove are made out.")
    contrary_evidence: str | None = Field(
        default=None, description="Credible evidence to the contrary immediately available, if any.")
    other_force_area: bool = Field(default=False, description="Committed in another force area or abroad.")
    outside_uk: bool = Field(
        default=False, description="Committed outside the United Kingdom (set other_force_area too): no UK force "
                                   "receives a transfer.")
    sarc_withheld: bool = Field(
        default=False, description="A rape report through a Sexual Assault Referral Centre where the victim did not "
                                   "seek an investigation and passed only depersonalised data, stayed anonymous, or "
                                   "had samples frozen at the SARC: held as N100, not crimed (2026/27 p. 62).")
    occasions: list[Timestamp] = Field(default_factory=list, description="Occasions of a course of conduct.")
    threat_of_immediate_violence: bool = False
    source: FindingSource = "structured_field"
    log_span: LogSpan | None = Field(default=None, description="Where in the incident log it was disclosed.")
    against_police_on_duty: bool = Field(
        default=False, description="An allegation of a crime by a police officer or member of police staff in the "
                                   "execution of their duty: recorded once the appropriate authority finds a case "
                                   "to answer, outside the 24-hour rule (2026/27 p. 17).")
    made_out_at: Timestamp | None = Field(
        default=None, description="For an offence held as an incident (N300/04, or a crime-related incident) until "
                                  "the investigation confirms it is made out (death or serious injury by dangerous "
                                  "or careless driving, 4/4, 4/6, 4/8; dangerous driving, 802; 2026/27 pp. 37, 96): "
                                  "when the investigation confirmed it, which starts the clock for recording it. "
                                  "Absent: not recorded.")
    weapon_used: bool | None = Field(
        default=None, description="For possession of a weapon (10A-10D, 81): whether the weapon was used during "
                                  "the commission of another notifiable offence, which is then recorded instead "
                                  "(2026/27 p. 94). Absent: not recorded; with another offence by the same "
                                  "offender reported here, whether the possession is recorded cannot be judged.")
    committed_at: Timestamp | None = Field(
        default=None, description="When the offence was committed (for a course of conduct, its last occasion); "
                                  "absent when not known. Offending after the police were told of it is a new "
                                  "crime, not part of the finished incident (2026/27 p. 12).")
    school_protocol: Literal["minor", "serious", "crime_requested"] | None = Field(
        default=None, description="For an incident on school premises in school hours (schools protocol; 2026/27 "
                                  "p. 12): 'minor', a behavioural incident for the school to deal with (a "
                                  "crime-related incident); 'serious', a serious incident as the protocol defines "
                                  "it; 'crime_requested', the school formally, or the child, parent or their "
                                  "representative, asked for a crime record. Absent: not assessed.")
    fraud_call_for_service: bool | None = Field(
        default=None, description="For a fraud: whether there is a call for service (offender arrested, committing "
                                  "or just committed at the time of the call, or a local suspect) or a "
                                  "PNC-registered item, so that police record it locally as well as reporting it to "
                                  "Report Fraud (2026/27 p. 97). False: reported to Report Fraud only. Absent: not "
                                  "known.")
    injury: Injury | None = Field(
        default=None, description="The worst injury the victim of an assault suffered, in the rules' terms (2026/27 "
                                  "pp. 42-45): 'none', no injury (a touch or a passing moment of pain; no bruise, "
                                  "reddening, lasting pain or soreness); 'actual_bodily_harm', grazes, scratches, "
                                  "minor bruising, swelling, reddening, superficial cuts, a broken nose, a black eye "
                                  "or lasting pain; 'serious_harm', a wound beyond a superficial cut or grievous "
                                  "(really serious) bodily harm. Absent: not recorded.")
    case_to_answer: bool | None = Field(
        default=None, description="For an allegation against police on duty: whether the appropriate authority has "
                                  "determined a possible criminal case to answer (CPS advice sought), decided a "
                                  "charge, summons or out-of-court disposal, or found a misconduct case amounting "
                                  "to a notifiable offence: the point at which it is recorded (2026/27 p. 17). "
                                  "Absent: not known.")
    threat_of: ThreatOf | None = Field(
        default=None, description="Where the offence disclosed is a threat (not an assault with words): what it "
                                  "threatened (death, serious_harm, violence, other). Absent: not a threat, or not "
                                  "recorded.")
    threat_conveyed: ThreatConveyed | None = Field(
        default=None, description="How the threat reached the victim: in_person, or as a message (call, letter, "
                                  "email, text, social media). Absent: not recorded.")
    threat_in_dwelling: bool | None = Field(
        default=None, description="A threat made in person: whether the victim was inside a dwelling, where a "
                                  "threat putting them in fear of violence is common assault, not public order "
                                  "(2026/27 p. 45). Absent: not recorded.")
    threat_intent: ThreatIntent | None = Field(
        default=None, description="The recorded judgement of the offender's intent that the victim fear the threat "
                                  "would be carried out: intended, reckless, neither or not_known. Absent: not "
                                  "exported.")
    undefined_offenders: Recorded | None = Field(
        default=None, description="For a rape by several offenders: whether the victim (or the person representing "
                                  "them) could not tell some of them apart as different or distinct, so that those "
                                  "are recorded as one rape by multiple undefined offenders, 19J or 19K, beside one "
                                  "19C-19H crime for each offender told apart (2026/27 p. 62): yes, no (every "
                                  "offender was told apart, however briefly described) or not_known. Absent: not "
                                  "exported.")
    feared_violence: Recorded | None = Field(
        default=None, description="For harassment or stalking: whether the course of conduct left the victim "
                                  "fearing that violence would be used against them, on at least two occasions "
                                  "(s4 and s4A Protection from Harassment Act 1997; 2026/27 p. 50): yes, no or "
                                  "not_known. Absent: not exported.")
    continues_crime: str | None = Field(
        default=None, description="The reference of a conduct crime already recorded (stalking, harassment, "
                                  "controlling or coercive behaviour), usually on an earlier incident, by the same "
                                  "offender against the same victim, that this disclosure's conduct continues "
                                  "(2026/27 p. 58). Absent: no earlier conduct crime known.")
    continues_crime_last_at: Timestamp | None = Field(
        default=None, description="When the last incident recorded on that earlier crime happened: the three "
                                  "months of p. 58 run from it. Absent: not exported.")
    offender_dealt_with: Recorded | None = Field(
        default=None, description="Whether the police dealt with the offender (charge, summons, caution or the "
                                  "like) between that earlier crime and this conduct: yes, no or not_known. "
                                  "Absent: not exported.")
    continuation_exception: str | None = Field(
        default=None, description="The recorded exceptional circumstances (such as an anniversary) for adding "
                                  "conduct after a break of more than three months to the earlier crime (p. 58).")


class Cancellation(Record):
    """How a crime record left the statistics: transfer (C1) or cancellation (C2-C5)."""

    code: str | None = Field(default=None, description="C1 to C5; a wrong code is reported by the rules.")
    decided_at: Timestamp | None = None
    decided_by: Role | None = None
    decider_is_investigator: bool | None = None
    rationale: str | None = None
    rationale_recorded: Recorded | None = Field(
        default=None, description="Whether the cancellation records a rationale (for a C4, the recording error: "
                                  "that no notifiable crime was committed and recording one was a genuine mistake, "
                                  "OFG p. 27), for exports that say so without giving its text: yes, no or "
                                  "not_known; absent when the export does not say. A `rationale` given is its text.")
    additional_verifiable_information: str | None = None
    receiving_force_reference: str | None = None
    master_record: str | None = Field(default=None, description="C3: the live record this one duplicates.")
    victim_informed_at: Timestamp | None = None
    victim_informed: Recorded | None = Field(
        default=None, description="Whether the record shows the victim was told of the transfer or cancellation: "
                                  "yes, no, or not_known; absent when the export does not say.")
    nrm_decision: NrmDecision | None = Field(
        default=None, description="The National Referral Mechanism decision a modern slavery cancellation relies "
                                  "on as its AVI, if any (2026/27 pp. 26, 48).")
    withdrawal_reasons: str | None = Field(
        default=None, description="The victim's own reasons for withdrawing their report, as recorded.")
    avi_available_at: Timestamp | None = Field(
        default=None, description="When the additional verifiable information became available to the police "
                                  "(OFG p. 28: the record says when, where from and how it was verified).")
    avi_source: str | None = Field(
        default=None, description="Where the additional verifiable information came from and how it can be "
                                  "verified, as recorded (OFG p. 28: 'where it came from, how it can be verified').")
    avi_source_recorded: Recorded | None = Field(
        default=None, description="Whether the cancellation records where its AVI came from, for exports that say "
                                  "so without giving it: yes, no or not_known; absent when the export does not say. "
                                  "An `avi_source` given is a yes.")


class Outcome(Record):
    """The outcome a crime record was finalised with (2026/27 p. 24; the outcomes framework guidance, OFG).

    Every field may be absent: absent means the export does not give it, which makes a rule that needs it not
    evaluable; "not_known" is the force recording that it does not know, which the rules judge.
    """

    type: str | None = Field(
        default=None, description="The outcome type as the force recorded it: 1 to 24, or 1A, 2A, 3A (the "
                                  "alternate offence outcomes). Plain text: a wrong type is for the rules.")
    decided_at: Timestamp | None = Field(default=None, description="When the outcome was applied.")
    authorised_by: str | None = Field(default=None, description="Who authorised it, as the export names them.")
    authoriser_rank: AuthoriserRank | None = Field(
        default=None, description="The authoriser's rank or police staff equivalent.")
    named_suspect: Recorded | None = Field(
        default=None, description="Whether the record identifies a named suspect (for outcomes 15 and 16 one "
                                  "whose true identity is established, 2026/27 pp. 22-23).")
    victim_view_recorded: Recorded | None = Field(
        default=None, description="Whether there is an auditable record of the victim's view on police action "
                                  "(outcomes 14 and 16 need one showing the victim could not support it, OFG "
                                  "pp. 17, 19).")
    rationale: str | None = Field(default=None, description="The rationale recorded for the outcome.")
    suspect: str | None = Field(
        default=None, description="The person id of the named suspect the outcome was given to or is about (the "
                                  "offender cautioned, warned or given the penalty notice); absent: the crime "
                                  "record's offender, where it names exactly one.")
    decided_by: Role | None = Field(
        default=None, description="The role of the decision maker who applied the outcome: outcome 5 on a "
                                  "homicide or rape is for the force crime registrar (OFG p. 13).")
    victim_informed: Recorded | None = Field(
        default=None, description="Whether the record shows the victim (or their representative, or a child "
                                  "victim's parent or guardian) was told of the outcome: yes, no or not_known; "
                                  "they are told before it is applied (OFG p. 3).")
    victim_informed_at: Timestamp | None = Field(default=None, description="When the victim was told of the outcome.")
    summary_only_charge: Recorded | None = Field(
        default=None, description="For outcome 17 on an offence not summary only: whether the record shows the "
                                  "charge would be summary only (low-value shoplifting, or a charge the CPS "
                                  "charging standards make summary only, such as common assault for an ABH), "
                                  "so that a statutory time limit applies (OFG p. 20).")
    activity_completed: Recorded | None = Field(
        default=None, description="For outcomes 22, 23 and 24: whether the record shows the offender completed the "
                                  "diversionary, educational or intervention activity, or the deferred "
                                  "prosecution's conditions (OFG pp. 22-25).")
    activity_completed_at: Timestamp | None = Field(
        default=None, description="When the offender completed that activity: the outcome is applied only after.")
    charged_offence: str | None = Field(
        default=None, description="For a charge or caution (outcomes 1, 1A, 2, 2A, 3, 3A): the offence charged or "
                                  "cautioned, as an HO classification or HO code from the notifiable offence list "
                                  "(checked like `offence`): a charge for another offence is 1A, or a related crime "
                                  "recorded with its own outcome (2026/27 pp. 18-21).")
    cps_authorised: Recorded | None = Field(
        default=None, description="For a caution (outcomes 2, 2A, 3, 3A) on an indictable-only offence: whether "
                                  "the record shows the CPS authorised it (OFG pp. 10-11).")
    prior_offending_within_two_years: Recorded | None = Field(
        default=None, description="For an adult caution (3, 3A): whether the offender had a caution or conviction "
                                  "in the two years before, which makes it an exception for an inspector (OFG p. 11).")
    suspect_informed: Recorded | None = Field(
        default=None, description="For outcomes 1 to 4, 6 to 10, 21 and 22 (and 1A, 2A, 3A): whether the record "
                                  "shows the suspect (for a child, their parent or guardian) was told they will be "
                                  "recorded as responsible for the crime and what that may mean (OFG p. 3).")
    cps_charging_required: Recorded | None = Field(
        default=None, description="For outcome 10: whether the Director's Guidance on Charging required the "
                                  "charging decision to be referred to the CPS, so that the public interest decision "
                                  "was a prosecutor's and outcome 9 is the one (OFG p. 16).")
    tic_linked_to_charge: Recorded | None = Field(
        default=None, description="For outcome 4: whether the record shows the offence was taken into consideration "
                                  "in criminal proceedings in which the offender was charged with another offence "
                                  "(OFG p. 13).")


class Reclassification(Record):
    """One change of a crime record's classification, as the crime system's audit trail shows it: only an FCR or
    DDM may reclassify, and the justification must be recorded in the crime record (2026/27 p. 13)."""

    from_offence: str | None = Field(default=None, description="The classification (or HO code) it had before.")
    to_offence: str = Field(min_length=1, description="The classification (or HO code) it was given.")
    at: Timestamp | None = Field(default=None, description="When it was reclassified; absent if not exported.")
    by: Role | None = Field(default=None, description="The role of who reclassified it; absent if not exported.")
    rationale: str | None = Field(default=None, description="The justification recorded for the change.")


class CrimeRecord(Record):
    reference: str = Field(min_length=1)
    offence: str = Field(min_length=1)
    victim: str | None = None
    offenders: list[str] = Field(default_factory=list)
    disclosures: list[str] = Field(default_factory=list, description="Ids of the disclosures this record records.")
    recorded_at: Timestamp | None = None
    flags: list[Flag] = Field(default_factory=list)
    status: Status = "recorded"
    cancellation: Cancellation | None = None
    classification_rationale: str | None = Field(
        default=None, description="Why this classification, e.g. why a course of conduct is harassment only.")
    rationale_approved_by: Role | None = None
    outcome: Outcome | None = Field(
        default=None, description="The outcome the crime was finalised with; absent while it is open or when the "
                                  "export does not give outcomes.")
    victim_wishes: VictimWishes | None = Field(
        default=None, description="What the victim wants done about the crime, as recorded; absent when the "
                                  "export does not say.")
    hate_perceived: list[HateStrand] | None = Field(
        default=None, description="The strands of hostility or prejudice the victim or any other person perceived "
                                  "as motivating this offence, as recorded (2026/27 p. 26): empty, recorded that "
                                  "no one perceived any; absent, the export does not say.")
    racially_or_religiously_aggravated: Recorded | None = Field(
        default=None, description="Whether the record shows the offence was determined to be racially or "
                                  "religiously aggravated (hostility towards the victim's racial or religious group "
                                  "demonstrated at the time, or motivating it; s28 Crime and Disorder Act 1998), so "
                                  "that an assault is recorded as 8P or 105B (2026/27 pp. 44-45): yes, no or "
                                  "not_known. Absent: the export does not say. Perception alone is the hate crime "
                                  "flag's test (hate_perceived), not this determination.")
    hate_strands: list[HateStrand] | None = Field(
        default=None, description="The hate crime strand flags applied to the crime (with the hate_crime flag): "
                                  "one for each strand perceived; absent, the export does not give them.")
    religion_flags: list[ReligionFlag] | None = Field(
        default=None, description="The religion sub-flags applied to the crime (Christian ... Unknown), each "
                                  "needing the religion strand flag (2026/27 p. 27); absent, the export does not "
                                  "give them.")
    metal_theft_flags: list[MetalTheftFlag] | None = Field(
        default=None, description="The metal theft flags applied (infrastructure, non_infrastructure): one and "
                                  "only one on a metal theft (2026/27 p. 27); absent, the export does not give "
                                  "them.")
    online_element: Recorded | None = Field(
        default=None, description="Whether any element of the offence was committed online or through "
                                  "internet-based activity (email, social media, websites, messaging or gaming "
                                  "platforms, smart devices), as the record shows (2026/27 p. 29): yes, no or "
                                  "not_known. Absent: the export does not say. How the report reached the police "
                                  "(an online report) is not this.")
    domestic_abuse_risk: RiskLevel | None = Field(
        default=None, description="The force's domestic abuse risk assessment for the crime; absent when not "
                                  "exported or not assessed.")
    delay_rationale: str | None = Field(
        default=None, description="Why the record was made more than 24 hours after the report: the NCRS-compliant "
                                  "rationale every delayed record must carry (2026/27 p. 10). Empty: the record "
                                  "holds none; absent: the export does not give it.")
    delay_overseen_by: Role | None = Field(
        default=None, description="Who oversaw the delayed record (the rules ask for the force crime registrar's "
                                  "oversight, 2026/27 p. 10).")
    delay_rationale_recorded: Recorded | None = Field(
        default=None, description="Whether the delayed record carries a rationale for the delay, for exports that "
                                  "say so without giving its text: yes, no or not_known; absent when the export "
                                  "does not say. A `delay_rationale` given is its text.")
    delay_oversight_recorded: Recorded | None = Field(
        default=None, description="Whether the record shows anyone's oversight of the delay: yes, no or not_known; "
                                  "absent when the export does not say. `delay_overseen_by` says whose.")
    classification_history: list[Reclassification] | None = Field(
        default=None, description="Every reclassification of the crime, oldest first (2026/27 p. 13): empty, "
                                  "recorded that it was never reclassified; absent, the export does not give the "
                                  "history. `offence` is the classification it has now.")


class N100Record(Record):
    id: str = Field(min_length=1)
    disclosure: str
    created_at: Timestamp | None = None
    reason: str | None = Field(default=None, description="N100/01, N100/02 or N100/03.")
    receiving_force_reference: str | None = None
    rape_crime: str | None = Field(default=None, description="The crime reference if later recorded as rape.")
    status: N100Status | None = Field(
        default=None, description="open, crimed or cancelled; absent when the export does not say (a cancellation "
                                  "given below makes it cancelled).")
    cancelled_at: Timestamp | None = Field(default=None, description="When the N100 was cancelled.")
    cancelled_by: Role | None = Field(default=None, description="The role of who cancelled it.")
    cancellation_reason: N100CancellationReason | None = Field(
        default=None, description="Why it was cancelled, in the terms of p. 63; absent when not exported.")
    reclassified_from: str | None = Field(
        default=None, description="The reference of the recorded rape this N100 replaced, where a crime record was "
                                  "reclassified as an N100 (2026/27 p. 63). The crime record leaves the export: "
                                  "the report is now this N100.")
    reclassified_at: Timestamp | None = Field(default=None, description="When the rape crime became this N100.")
    reclassified_by: Role | None = Field(
        default=None, description="The role of who reclassified the rape crime as an N100 (a College of "
                                  "Policing-accredited crime registrar, p. 63).")
    investigation_begun: Recorded | None = Field(
        default=None, description="Whether substantive investigation of the rape had begun when it was reclassified "
                                  "as an N100 (yes, no, not_known): the rules allow it only before (p. 63).")


class Incident(Record):
    id: str = Field(min_length=1)
    received_at: Timestamp
    channel: Channel
    kind: Literal["primary", "secondary"] = "primary"
    parent: str | None = Field(default=None, description="The primary incident of a secondary incident.")
    opening_code: str | None = None
    closing_code: str | None = None
    qualifiers: list[Qualifier] = Field(default_factory=list)
    initial_classification: str | None = Field(
        default=None, description="The force's classification code when the incident was opened, as exported.")
    final_classification: str | None = Field(
        default=None, description="The force's classification code when the incident was closed, as exported.")
    result_codes: list[str] = Field(
        default_factory=list, description="Result or disposal codes, in the force's own code list, as exported.")
    crime_numbers: list[str] = Field(
        default_factory=list, description="Crime numbers the incident log links to, whether or not exported.")
    log: list[LogEntry] = Field(default_factory=list, description="The incident log's entries, in log order.")
    code_readings: list[CodeReading] = Field(
        default_factory=list, description="The incident's force codes read through the force mapping.")
    non_crime_rationale: str | None = Field(
        default=None, description="The recorded reason a crime-related incident was not crimed.")
    sampling_weight: float | None = Field(default=None, gt=0)
    people: list[Person] = Field(default_factory=list)
    disclosures: list[Disclosure] = Field(default_factory=list)
    crime_records: list[CrimeRecord] = Field(default_factory=list)
    n100s: list[N100Record] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> "Incident":
        """Every id a record points at exists in this incident, and ids are unique: a dangling link is an
        export fault that would otherwise read as a missing crime record."""
        people = _unique(self.people, "id", "people")
        disclosures = _unique(self.disclosures, "id", "disclosures")
        crimes = _unique(self.crime_records, "reference", "crime_records")
        _unique(self.n100s, "id", "n100s")
        # each record's links are checked in bulk; only a record with a dangling link is searched for it
        for i, d in enumerate(self.disclosures):
            if not (people.issuperset(d.victims) and people.issuperset(d.offenders)):
                for field in ("victims", "offenders"):
                    _resolve(getattr(d, field), people, f"disclosures.{i}.{field}", "a person id")
        for i, c in enumerate(self.crime_records):
            suspect = c.outcome.suspect if c.outcome else None
            if not ((not c.victim or c.victim in people) and people.issuperset(c.offenders)
                    and disclosures.issuperset(c.disclosures) and (not suspect or suspect in people)):
                _resolve([c.victim] if c.victim else [], people, f"crime_records.{i}.victim", "a person id")
                _resolve([suspect] if suspect else [], people, f"crime_records.{i}.outcome.suspect", "a person id")
                _resolve(c.offenders, people, f"crime_records.{i}.offenders", "a person id")
                _resolve(c.disclosures, disclosures, f"crime_records.{i}.disclosures", "a disclosure id")
            if c.status == "recorded" and c.cancellation is not None:
                raise ValueError(f"crime_records.{i}.status: 'recorded' but a cancellation is given; "
                                 "use status 'cancelled' or 'transferred'")
        for i, d in enumerate(self.disclosures):
            span = d.log_span
            if span is not None:
                if span.entry >= len(self.log):
                    raise ValueError(f"disclosures.{i}.log_span.entry: {span.entry} is not an entry of this "
                                     f"incident's log ({len(self.log)} entries)")
                text = self.log[span.entry].text
                if span.start > len(text) or (span.end is not None and not span.start <= span.end <= len(text)):
                    raise ValueError(f"disclosures.{i}.log_span: characters {span.start} to {span.end} are not "
                                     f"within entry {span.entry}'s text ({len(text)} characters)")
        for i, n in enumerate(self.n100s):
            _resolve([n.disclosure], disclosures, f"n100s.{i}.disclosure", "a disclosure id")
            if n.status not in (None, "cancelled") and (n.cancelled_at or n.cancelled_by or n.cancellation_reason):
                raise ValueError(f"n100s.{i}.status: '{n.status}' but a cancellation is given; use status "
                                 "'cancelled'")
            if n.rape_crime:
                _resolve([n.rape_crime], crimes, f"n100s.{i}.rape_crime", "a crime reference")
        if self.kind == "secondary" and not self.parent:
            raise ValueError("parent: a secondary incident names its primary incident")
        return self


_KEYS = {"id": attrgetter("id"), "reference": attrgetter("reference")}


def _unique(records: list, key: str, where: str) -> set[str]:
    seen = set(map(_KEYS[key], records))
    if len(seen) == len(records):
        return seen
    seen = set()
    for index, record in enumerate(records):
        value = getattr(record, key)
        if value in seen:
            raise ValueError(f"{where}.{index}.{key}: '{value}' appears twice in this incident")
        seen.add(value)
    return seen


def _resolve(ids: list[str], known: set[str], where: str, what: str) -> None:
    for value in ids:
        if value not in known:
            choices = ", ".join(sorted(known)) or "none"
            raise ValueError(f"{where}: '{value}' is not {what} in this incident (known: {choices})")
