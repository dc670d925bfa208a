"""The wording real job descriptions use: section headings, level and grade words, role nouns,
boilerplate that belongs to no role. Phrases are lowercase word sequences; they are matched
on the words of a heading (see jdcore.formats.documents.recognise.section_of)."""

from __future__ import annotations

# Section kind -> heading phrases. The order of the kinds matters only for ties.
SECTIONS: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary", "job summary", "position summary", "role summary", "purpose", "job purpose",
        "purpose of the role", "purpose of the position", "general provisions", "general",
        "about the role", "about this role", "about the job", "about the position", "overview",
        "role overview", "position overview", "job overview", "the role", "description",
        "role description", "job description", "introduction", "mission", "role mission",
        "general information", "main purpose", "what is this role", "position",
    ),
    "duties": (
        "responsibilities", "job responsibilities", "key responsibilities", "main responsibilities",
        "duties", "job duties", "main duties", "key duties", "duties and responsibilities",
        "responsibilities and duties", "functions", "job functions", "main functions",
        "key tasks", "tasks", "main tasks", "what you will do", "what you ll do", "what you do",
        "your responsibilities", "your tasks", "in this role you will", "you will",
        "day to day", "what the role involves", "job duties and responsibilities",
        "official duties", "functional duties", "key accountabilities", "accountabilities",
        "your role", "the work",
    ),
    "requirements": (
        "requirements", "job requirements", "qualifications", "qualification requirements",
        "minimum qualifications", "preferred qualifications", "basic qualifications",
        "required qualifications", "skills", "required skills", "skills and experience",
        "skills and qualifications", "education", "education and experience", "experience",
        "must know", "should know", "must have", "nice to have", "nice to haves", "bonus points",
        "what you ll bring", "what you will bring", "what we re looking for",
        "what we are looking for", "who you are", "about you", "you have", "you should have",
        "knowledge", "knowledge and skills", "requirements for the position",
        "qualification", "the employee must know", "must know and be able to",
        "candidate requirements", "ideal candidate", "preferred", "desired skills",
    ),
    "qualities": (
        "personal and professional qualities", "personal qualities", "professional qualities",
        "qualities", "competencies", "competences", "core competencies", "key competencies",
        "personal characteristics", "behaviours", "behaviors", "values", "soft skills",
        "attributes", "personal attributes",
    ),
    "rights": (
        "rights", "authority", "authorities", "powers", "rights and powers", "decision rights",
        "decision making authority", "the employee has the right", "has the right",
        "rights of the employee", "authority and rights", "delegated authority",
    ),
    # what the holder answers for: the role's `accountabilities`
    "liability": (
        "responsibility", "accountability", "liability", "is responsible for",
        "the employee is responsible for", "responsibility of the employee",
        "the holder is responsible for", "the holder is liable for", "is liable for",
        "liable for", "the employee is liable for", "responsibility and accountability",
    ),
    "kpis": (
        "performance indicators", "key performance indicators", "kpis", "kpi", "metrics",
        "performance metrics", "performance measures", "success measures", "success metrics",
        "measures of success", "how success is measured", "performance", "results",
        "key results", "performance criteria", "evaluation criteria",
    ),
    "career": (
        "career", "career ladder", "career path", "career progression", "levels", "job grades",
        "next step", "next steps", "progression", "promotion", "career development",
        "growth", "job family", "leveling", "levelling",
    ),
    "interactions": (
        "interaction", "interactions", "relationships", "working relationships",
        "key relationships", "interaction with management", "relations", "communication", "communications",
        "contacts", "key contacts", "internal and external contacts", "stakeholders",
        "work relationships", "relationships and interaction", "who you ll work with",
        "who you will work with", "working with",
    ),
    # who the role reports to: its text names the manager
    "reports": (
        "reports to", "reporting to", "report to", "reporting", "reporting line",
        "reporting lines", "reporting structure", "line manager", "who you report to",
        "who you will report to", "who you ll report to", "hierarchy", "reporting hierarchy",
        "reporting relationships", "reports",
    ),
    # the grade: "The Senior Backend Engineer is a grade 7"
    "grade": (
        "job grade", "job grades", "grade", "grading", "job level", "compensation grade",
        "pay grade", "band", "job band",
    ),
    # role text with no field of its own: kept as not recognised, never as items
    "other": (
        "motivation", "working conditions", "work conditions", "work schedule", "location",
        "remote work", "travel", "physical requirements", "work environment", "specialties",
        "specialities", "specializations", "specialisations", "focus areas",
    ),
}

# Phrases that may END a longer heading ("Senior Backend Engineer Responsibilities"); other
# phrases must start it, since many role titles end in words such as "Experience" or "Growth".
END_PHRASES = (
    "responsibilities", "duties", "requirements", "qualifications", "skills", "competencies",
    "job grade", "grade", "performance indicators", "kpis", "career ladder", "career path",
    "nice to have", "nice to haves", "must have", "reports to", "key responsibilities",
    "job responsibilities", "rights", "key tasks", "tasks", "functions", "job functions",
    "qualities",
)

# Headings of text that belongs to no role: a web page's teasers, navigation, hiring process.
IGNORED = (
    "recommended", "related", "related articles", "related posts", "related jobs", "see also",
    "read more", "read also", "more articles", "you may also like", "popular", "share",
    "comments", "navigation", "menu", "contents", "table of contents", "hiring process",
    "interview process", "how to apply", "apply", "apply now", "application process",
    "benefits", "perks", "what we offer", "we offer", "compensation", "salary",
    "pay range", "about us", "about the company", "who we are", "our company", "equal opportunity",
    "equal employment opportunity", "diversity", "privacy", "cookies", "contact", "contact us",
    "tags", "categories", "footer", "links", "resources", "sources", "references",
    "subscribe", "newsletter", "advertisement", "sponsored", "latest", "recent posts",
    "similar", "similar jobs", "other vacancies", "more jobs", "legal notice",
)

# Level and grade words, with their rank on a ladder (higher is more senior) and the rung of
# the embedded ladder nearest to them (for placing a new rung).
LEVELS: dict[str, tuple[int, str]] = {
    "intern": (0, "operative"), "trainee": (0, "operative"), "apprentice": (0, "operative"),
    "junior": (1, "specialist"), "entry level": (1, "specialist"), "associate": (1, "specialist"),
    "intermediate": (2, "specialist"), "mid level": (2, "specialist"),
    "middle": (2, "specialist"), "senior": (3, "specialist"), "staff": (4, "specialist"),
    "lead": (4, "manager"), "principal": (5, "specialist"), "senior principal": (6, "specialist"),
    "distinguished": (7, "specialist"), "fellow": (8, "specialist"),
    "manager": (10, "manager"), "senior manager": (11, "manager"),
    "director": (12, "head-of-department"), "senior director": (13, "head-of-department"),
    "head": (12, "head-of-department"),
    "vice president": (14, "executive"), "vp": (14, "executive"),
    "senior vice president": (15, "executive"), "svp": (15, "executive"),
    "executive vice president": (16, "executive"), "evp": (16, "executive"),
    "chief": (17, "executive"),
    "sr": (3, "specialist"), "snr": (3, "specialist"), "jr": (1, "specialist"),
}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}

# Nouns that name a role (a heading holding one may be a role of a several-role document).
ROLE_NOUNS = frozenset("""
engineer developer manager director head officer analyst specialist designer accountant
assistant administrator coordinator consultant scientist architect lead representative
executive clerk technician operator foreman controller supervisor agent advocate counsel
recruiter writer editor marketer strategist partner president vp chief associate intern
programmer tester researcher planner buyer driver nurse teacher economist lawyer inspector
auditor dispatcher storekeeper worker mechanic electrician secretary receptionist cashier
merchandiser estimator surveyor advisor adviser owner evangelist manager engineers
sourcer paralegal generalist coach producer investigator treasurer bookkeeper steward
translator trainer instructor facilitator
""".split())

ARTICLES = frozenset({"the", "a", "an", "of", "for", "to", "and", "our", "your", "its", "this"})
ABBREVIATIONS = {
    "dept": "department", "depts": "department", "mgr": "manager", "sr": "senior",
    "jr": "junior", "snr": "senior", "vp": "vice president", "svp": "senior vice president",
    "ceo": "chief executive officer", "cfo": "chief financial officer",
    "cto": "chief technology officer", "coo": "chief operating officer",
    "cmo": "chief marketing officer", "cio": "chief information officer",
    "hr": "human resources", "eng": "engineering", "dir": "director", "asst": "assistant",
    "gen": "general", "mktg": "marketing", "ops": "operations", "qa": "quality assurance",
    "it": "information technology", "r&d": "research and development", "pm": "product manager",
    "em": "engineering manager", "gm": "general manager",
}

# Interaction kinds of the embedded taxonomy, by words of the item.
INTERACTION_KINDS = (
    ("shortcoming-report", ("shortcoming", "violation", "deficienc", "problem", "defect")),
    ("suggestion", ("suggest", "proposal", "propose", "improv", "recommend")),
    ("clarification", ("clarif", "explanation", "explain", "consult")),
    ("report", ("report", "document", "information", "data")),
    ("negotiation", ("negotiat",)),
    ("instruction", ("instruct", "order", "assign", "direct", "task")),
    ("coordination", ("coordinat", "cooperat", "collaborat", "work with", "together", "joint",
                      "align", "partner", "liais", "communicat")),
)

# Decision-right areas of the embedded taxonomy, by words of the right.
RIGHT_AREAS = (
    ("budget", ("budget", "spend", "expens", "fund", "financ", "cost")),
    ("staffing", ("hire", "hiring", "dismiss", "staff", "personnel", "recruit", "employ",
                  "promot", "bonus", "penalt", "reward", "incentive", "disciplin", "headcount")),
    ("pricing", ("price", "pricing", "discount", "tariff")),
    ("contracts", ("contract", "agreement", "sign ")),
    ("purchasing", ("purchas", "procure", "buy ", "supplier", "order goods", "materials")),
    ("marketing", ("marketing", "advertis", "campaign", "promotion")),
    ("scheduling", ("schedul", "assign", "workload", "task", "instruction", "orders to",
                    "work of subordinates", "distribut")),
    ("quality", ("quality", "accept", "inspect", "defect", "standard")),
)
RIGHT_SCOPES = (
    ("decide", ("decide", "make decisions", "make a decision", "give orders", "give instructions",
                "dispose", "issue orders", "determine", "set ", "hire", "dismiss", "manage")),
    ("approve", ("approve", "sign", "endorse", "authorise", "authorize", "sanction", "accept")),
    ("recommend", ("propose", "proposal", "suggest", "recommend", "submit", "make proposals",
                   "participate", "take part", "request", "initiate", "apply to", "petition")),
)
QUALITY_KINDS = (
    ("corporate", ("corporate", "company", "society", "social", "image", "loyal", "values")),
    ("professional", ("professional", "business", "skill", "knowledge", "expert", "technical",
                      "analytic", "performance", "competen", "acumen", "result")),
)
REQUIREMENT_KINDS = (
    ("certification", ("certif", "licen", "accredit", "chartered")),
    ("education", ("degree", "education", "bachelor", "master", "diploma", "university",
                   "graduate", "phd", "mba", "college", "school")),
    ("experience", ("experience", "years", "track record", "background in", "worked")),
    ("knowledge", ("knowledge", "know ", "understanding", "familiar", "aware", "regulation",
                   "law", "must know")),
)
