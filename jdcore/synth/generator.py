"""A deterministic generator of large, realistic, valid synthetic catalogues.

``write_synthetic_catalogue(out_dir, roles, seed)`` writes ``taxonomy.yaml`` and
``roles/<id>.yaml`` into an empty folder. The same seed always gives byte-identical files
(all randomness comes from one ``random.Random(seed)``; nothing depends on the clock, the
hash seed or the platform). The catalogue loads with no errors and no warnings:

- 3 business areas and 40 departments (its own taxonomy.yaml; every other vocabulary and
  weight is the same as in data/taxonomy.yaml);
- one reporting tree per business area with one root, 5 to 7 layers deep, in which every
  manager has 2 to 15 direct reports, counted in roles and also weighted by headcount;
- headcount 1 for most roles, larger for some specialist and operative roles;
- 20 to 30 responsibilities per role whose time shares add up to 85-100 %, with texts built
  from verb, object and qualifier vocabularies, so that exact repeats are rare but similar
  duties occur across departments;
- rights, authority scales, workload, qualities, requirements, KPIs, interactions with
  other roles and external parties, a career step to the manager for most roles, and a
  dotted line for a few percent of roles.

YAML is written as text (every text value double-quoted; no anchors, no ``&`` or ``*``)
rather than through yaml.dump, so 10,000 roles take a few seconds.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from bisect import bisect
from itertools import accumulate
from pathlib import Path

MIN_ROLES = 30
MIN_LAYERS, MAX_LAYERS = 5, 7
MIN_SPAN, MAX_SPAN = 2, 15
MIN_DUTIES, MAX_DUTIES = 20, 30
MIN_TIME_TOTAL, MAX_TIME_TOTAL = 85, 100
DOTTED_SHARE = 0.03
CAREER_SHARE = 0.85

# --------------------------------------------------------------------------- vocabularies

BUSINESS_AREAS = {  # id: (label, short name used in the root's title)
    "trade": ("Trading company", "Trade"),
    "construction": ("Construction company", "Construction"),
    "manufacturing": ("Manufacturing company", "Manufacturing"),
}
AREA_SHARES = {"trade": 0.40, "construction": 0.33, "manufacturing": 0.27}

# id: (label, short name, focus duty categories, specialist titles, operative titles,
#      domain objects for duties, external parties)
DEPARTMENTS: dict[str, tuple] = {
    "executive": ("General management", "Executive Office",
                  ["strategy-planning", "reporting-control", "partnerships"],
                  ["Executive Assistant", "Chief of Staff", "Office Coordinator"], [],
                  ["board meeting materials", "the management calendar", "executive correspondence",
                   "management committee decisions", "shareholder requests", "corporate events"],
                  ["shareholders", "banks", "government bodies"]),
    "strategy": ("Strategy and development", "Strategy",
                 ["strategy-planning", "market-research", "reporting-control"],
                 ["Strategy Analyst", "Business Development Specialist", "Project Office Specialist"], [],
                 ["the strategic plan", "market entry studies", "merger and acquisition screening",
                  "the project portfolio", "business cases", "competitor benchmarks"],
                 ["consulting firms", "industry associations"]),
    "finance": ("Finance and accounting", "Finance",
                ["budget-finance", "reporting-control", "contracts"],
                ["Accountant", "Accounts Payable Specialist", "Accounts Receivable Specialist",
                 "Financial Analyst"], ["Accounting Clerk"],
                ["the general ledger", "supplier invoices", "month-end closing", "fixed asset records",
                 "customer receivables", "the chart of accounts", "financial statements"],
                ["auditors", "banks", "tax authorities"]),
    "treasury": ("Treasury", "Treasury",
                 ["budget-finance", "reporting-control", "partnerships"],
                 ["Treasury Analyst", "Cash Management Specialist"], ["Payments Clerk"],
                 ["the cash flow forecast", "bank payments", "credit lines", "currency exposure",
                  "bank guarantees", "short-term investments"],
                 ["banks", "insurers"]),
    "controlling": ("Controlling and budgeting", "Controlling",
                    ["budget-finance", "reporting-control", "strategy-planning"],
                    ["Controller", "Budget Analyst", "Cost Accountant"], [],
                    ["the annual budget", "cost centre reports", "variance analyses", "margin reports",
                     "the rolling forecast", "management accounts"],
                    ["auditors"]),
    "tax": ("Tax", "Tax",
            ["budget-finance", "contracts", "health-safety"],
            ["Tax Specialist", "Tax Accountant", "Transfer Pricing Analyst"], [],
            ["VAT returns", "corporate income tax filings", "tax audit files", "withholding tax records",
             "tax risk assessments", "customs declarations"],
            ["tax authorities", "tax advisers"]),
    "hr": ("Human resources", "HR",
           ["people-management", "contracts", "reporting-control"],
           ["HR Business Partner", "Recruiter", "HR Generalist", "Compensation Analyst"], ["HR Assistant"],
           ["recruitment campaigns", "employment contracts", "the staffing table", "personnel files",
            "the motivation scheme", "employee surveys", "job descriptions"],
           ["recruitment agencies", "labour inspectorate", "universities"]),
    "payroll": ("Payroll", "Payroll",
                ["budget-finance", "reporting-control", "people-management"],
                ["Payroll Specialist", "Benefits Administrator"], ["Payroll Clerk"],
                ["the monthly payroll", "time sheets", "sick leave records", "bonus calculations",
                 "social insurance contributions", "payslips"],
                ["social insurance fund", "pension funds"]),
    "training": ("Training and development", "Training",
                 ["people-management", "technical-documentation", "strategy-planning"],
                 ["Training Specialist", "Learning Designer", "Instructor"], [],
                 ["the training calendar", "induction programmes", "e-learning courses",
                  "competence assessments", "mentoring programmes", "training records"],
                 ["training providers", "universities"]),
    "legal": ("Legal", "Legal",
              ["contracts", "partnerships", "health-safety"],
              ["Legal Counsel", "Contract Lawyer", "Paralegal"], [],
              ["draft contracts", "court cases", "powers of attorney", "corporate records",
               "claims from counterparties", "legal opinions"],
              ["courts", "law firms", "notaries"]),
    "compliance": ("Compliance and internal audit", "Compliance",
                   ["reporting-control", "health-safety", "contracts"],
                   ["Internal Auditor", "Compliance Officer", "Risk Analyst"], [],
                   ["internal audit plans", "control self-assessments", "whistleblowing reports",
                    "the risk register", "audit findings", "anti-corruption checks"],
                   ["external auditors", "regulators"]),
    "it": ("Information technology", "IT",
           ["operations", "technical-documentation", "customer-service"],
           ["Systems Administrator", "Software Developer", "Business Analyst", "Network Engineer",
            "Database Administrator"], ["Service Desk Technician"],
           ["user requests", "the ERP system", "server backups", "network equipment", "software licences",
            "access rights", "IT security incidents"],
           ["software vendors", "telecom providers", "IT contractors"]),
    "security": ("Security", "Security",
                 ["health-safety", "operations", "reporting-control"],
                 ["Security Specialist", "Economic Security Analyst"], ["Security Guard", "CCTV Operator"],
                 ["access control", "CCTV recordings", "counterparty checks", "security incidents",
                  "guard posts", "alarm systems"],
                 ["police", "private security firms"]),
    "administration": ("Administration and office services", "Administration",
                       ["operations", "resources-supply", "customer-service"],
                       ["Office Manager", "Facilities Specialist", "Document Control Specialist"],
                       ["Receptionist", "Courier", "Cleaner"],
                       ["office supplies", "incoming mail", "meeting rooms", "company cars",
                        "office repairs", "the document archive"],
                       ["landlords", "cleaning contractors", "courier services"]),
    "procurement": ("Procurement and supply", "Procurement",
                    ["resources-supply", "contracts", "sales-negotiation"],
                    ["Buyer", "Category Buyer", "Supplier Quality Specialist", "Tender Specialist"],
                    ["Purchasing Clerk"],
                    ["purchase orders", "supplier tenders", "the approved supplier list", "purchase prices",
                     "supply contracts", "the purchase plan", "supplier evaluations"],
                    ["suppliers", "manufacturers", "distributors"]),
    "quality": ("Quality control", "Quality",
                ["health-safety", "reporting-control", "technical-documentation"],
                ["Quality Engineer", "Quality Inspector", "Laboratory Analyst"], ["Quality Controller"],
                ["incoming inspections", "non-conformance reports", "quality audits", "test protocols",
                 "customer complaints about quality", "the quality manual"],
                ["certification bodies", "testing laboratories"]),
    "logistics": ("Logistics", "Logistics",
                  ["operations", "resources-supply", "customer-service"],
                  ["Logistics Coordinator", "Dispatcher", "Route Planner", "Customs Specialist"],
                  ["Logistics Clerk"],
                  ["delivery schedules", "transport orders", "shipping documents", "delivery routes",
                   "freight rates", "customs clearance"],
                  ["carriers", "freight forwarders", "customs brokers"]),
    "warehouse": ("Warehousing", "Warehouse",
                  ["operations", "resources-supply", "health-safety"],
                  ["Inventory Controller", "Warehouse Administrator"],
                  ["Warehouse Operative", "Forklift Driver", "Order Picker", "Storekeeper"],
                  ["incoming goods", "stock counts", "storage locations", "outgoing shipments",
                   "damaged goods", "warehouse equipment"],
                  ["carriers", "equipment lessors"]),
    "transport": ("Transport and fleet", "Fleet",
                  ["operations", "health-safety", "resources-supply"],
                  ["Fleet Coordinator", "Transport Planner"], ["Truck Driver", "Van Driver", "Mechanic"],
                  ["the vehicle fleet", "vehicle maintenance", "fuel consumption", "driver logs",
                   "vehicle insurance", "tachograph data"],
                  ["repair shops", "fuel suppliers", "traffic police"]),
    "sales": ("Sales", "Sales",
              ["sales-negotiation", "customer-service", "contracts"],
              ["Sales Manager", "Sales Representative", "Sales Support Specialist", "Sales Analyst"],
              ["Sales Assistant"],
              ["the sales plan", "customer orders", "commercial offers", "the customer base",
               "price quotations", "sales pipeline", "accounts receivable of customers"],
              ["customers", "distributors", "dealers"]),
    "key-accounts": ("Key account management", "Key Accounts",
                     ["sales-negotiation", "partnerships", "customer-service"],
                     ["Key Account Manager", "Account Coordinator"], [],
                     ["key customer contracts", "annual account plans", "joint business plans",
                      "customer scorecards", "framework agreements", "account reviews"],
                     ["key customers", "retail chains"]),
    "retail": ("Retail stores", "Retail",
               ["sales-negotiation", "customer-service", "operations"],
               ["Store Administrator", "Visual Merchandiser"], ["Sales Associate", "Cashier", "Stock Clerk"],
               ["the sales floor", "shelf displays", "cash registers", "store stock", "promotional displays",
                "store opening hours"],
               ["shoppers", "shopping centre management"]),
    "wholesale": ("Wholesale", "Wholesale",
                  ["sales-negotiation", "contracts", "customer-service"],
                  ["Wholesale Account Manager", "Order Processing Specialist"], ["Order Clerk"],
                  ["wholesale orders", "dealer agreements", "volume discounts", "dealer stock levels",
                   "wholesale price lists", "credit limits of dealers"],
                  ["dealers", "distributors"]),
    "ecommerce": ("E-commerce", "E-commerce",
                  ["sales-negotiation", "advertising-pr", "customer-service"],
                  ["E-commerce Specialist", "Content Manager", "Web Analyst"], ["Online Order Operator"],
                  ["the online store", "product cards", "online orders", "marketplace listings",
                   "website traffic", "online payments"],
                  ["marketplaces", "payment providers", "web agencies"]),
    "marketing": ("Marketing", "Marketing",
                  ["advertising-pr", "market-research", "strategy-planning"],
                  ["Marketing Specialist", "Brand Manager", "Digital Marketing Specialist",
                   "PR Specialist"], [],
                  ["advertising campaigns", "the marketing plan", "the brand book", "trade fairs",
                   "social media channels", "customer surveys", "press releases"],
                  ["advertising agencies", "media", "research agencies"]),
    "customer-service": ("Customer service", "Customer Service",
                         ["customer-service", "reporting-control", "operations"],
                         ["Customer Service Specialist", "Claims Specialist"], ["Call Centre Operator"],
                         ["customer enquiries", "customer complaints", "returns and refunds",
                          "warranty claims", "the customer hotline", "service level reports"],
                         ["customers", "service partners"]),
    "pricing": ("Pricing and category management", "Pricing",
                ["market-research", "sales-negotiation", "budget-finance"],
                ["Pricing Analyst", "Category Manager", "Assortment Specialist"], [],
                ["price lists", "the product assortment", "promotional prices", "category margins",
                 "competitor prices", "price change requests"],
                ["suppliers", "market data providers"]),
    "production-technical": ("Production and technical department", "Technical",
                             ["technical-documentation", "operations", "reporting-control"],
                             ["PTO Engineer", "Technical Engineer", "Surveyor"], [],
                             ["working drawings", "work execution plans", "as-built documentation",
                              "hidden works certificates", "material take-offs", "measurement records"],
                             ["designers", "technical supervision", "state construction inspectorate"]),
    "site-operations": ("Construction site operations", "Site Operations",
                        ["operations", "health-safety", "resources-supply"],
                        ["Site Engineer", "Site Administrator"],
                        ["Construction Worker", "Concrete Worker", "Bricklayer", "Crane Operator",
                         "Electrician", "Welder"],
                        ["the site work log", "daily work programmes", "concrete works", "formwork",
                         "site deliveries", "temporary structures"],
                        ["subcontractors", "customers' technical supervision"]),
    "design": ("Design and engineering", "Design",
               ["technical-documentation", "operations", "partnerships"],
               ["Design Engineer", "Structural Engineer", "Architect", "BIM Coordinator"], ["Draughtsman"],
               ["design documentation", "building information models", "design changes",
                "engineering calculations", "design reviews", "design approvals"],
               ["design institutes", "expert review bodies"]),
    "estimating": ("Estimating and cost control", "Estimating",
                   ["budget-finance", "technical-documentation", "contracts"],
                   ["Estimator", "Quantity Surveyor", "Cost Engineer"], [],
                   ["cost estimates", "bills of quantities", "completion certificates",
                    "contract price changes", "project cost reports", "tender pricing"],
                   ["customers", "subcontractors"]),
    "health-safety": ("Health, safety and environment", "HSE",
                      ["health-safety", "reporting-control", "people-management"],
                      ["Safety Engineer", "Environmental Specialist", "Occupational Health Specialist"],
                      ["Safety Warden"],
                      ["safety briefings", "work permits", "accident investigations", "risk assessments",
                       "personal protective equipment", "environmental permits"],
                      ["labour inspectorate", "environmental authorities", "occupational health clinics"]),
    "equipment": ("Plant and equipment", "Plant",
                  ["operations", "resources-supply", "health-safety"],
                  ["Plant Engineer", "Equipment Coordinator"], ["Plant Mechanic", "Excavator Operator"],
                  ["construction machinery", "equipment hire", "machine maintenance schedules",
                   "equipment inspections", "spare parts", "machine hours"],
                  ["equipment lessors", "service centres"]),
    "real-estate": ("Real estate and property", "Real Estate",
                    ["sales-negotiation", "contracts", "partnerships"],
                    ["Property Manager", "Real Estate Sales Specialist", "Leasing Specialist"], [],
                    ["property sales", "lease agreements", "land plots", "property valuations",
                     "handover of apartments", "tenant requests"],
                    ["buyers", "tenants", "real estate agencies"]),
    "production": ("Production", "Production",
                   ["operations", "health-safety", "resources-supply"],
                   ["Production Technologist", "Shift Supervisor Assistant"],
                   ["Machine Operator", "Assembler", "Line Worker", "Packer", "Welder"],
                   ["production orders", "the production line", "shift output", "work in progress",
                    "scrap and rework", "machine set-ups"],
                   ["customers' quality engineers"]),
    "maintenance": ("Maintenance and repair", "Maintenance",
                    ["operations", "technical-documentation", "health-safety"],
                    ["Maintenance Engineer", "Reliability Engineer"],
                    ["Maintenance Technician", "Electrician", "Fitter"],
                    ["preventive maintenance", "breakdown repairs", "spare parts stock", "equipment passports",
                     "lubrication schedules", "repair requests"],
                    ["equipment manufacturers", "repair contractors"]),
    "process-engineering": ("Process engineering", "Process Engineering",
                            ["technical-documentation", "operations", "strategy-planning"],
                            ["Process Engineer", "Industrial Engineer", "Tooling Engineer"], [],
                            ["process routings", "work instructions", "cycle time studies",
                             "new product introductions", "tooling", "production standards"],
                            ["equipment manufacturers", "research institutes"]),
    "research": ("Research and development", "R and D",
                 ["technical-documentation", "market-research", "strategy-planning"],
                 ["Research Engineer", "Product Developer", "Laboratory Technician"], [],
                 ["prototypes", "product specifications", "test programmes", "patent applications",
                  "development projects", "material trials"],
                 ["universities", "research institutes", "patent attorneys"]),
    "planning": ("Production planning", "Planning",
                 ["strategy-planning", "resources-supply", "reporting-control"],
                 ["Production Planner", "Demand Planner", "Materials Planner"], [],
                 ["the master production schedule", "material requirements", "capacity plans",
                  "order backlogs", "delivery dates", "demand forecasts"],
                 ["customers", "suppliers"]),
    "energy": ("Energy and utilities", "Energy",
               ["operations", "resources-supply", "health-safety"],
               ["Energy Engineer", "Utilities Engineer"], ["Boiler Operator", "Power Electrician"],
               ["energy consumption", "the boiler house", "electrical substations", "meter readings",
                "utility contracts", "energy saving measures"],
               ["utility companies", "energy supervision authorities"]),
}

# Departments of each area, grouped by function: a manager's subtree takes a contiguous
# slice of this list, so related departments stay together.
_COMMON = [["executive", "strategy"], ["finance", "treasury", "controlling", "tax"],
           ["hr", "payroll", "training"], ["legal", "compliance"],
           ["it", "security", "administration"], ["procurement", "quality"]]
AREA_DEPARTMENTS = {
    "trade": _COMMON + [["sales", "key-accounts", "wholesale", "retail", "ecommerce"],
                        ["marketing", "pricing", "customer-service"],
                        ["logistics", "warehouse", "transport"]],
    "construction": _COMMON + [["production-technical", "design", "estimating"],
                               ["site-operations", "equipment", "health-safety"],
                               ["real-estate", "sales", "marketing"], ["logistics", "warehouse"]],
    "manufacturing": _COMMON + [["production", "maintenance", "energy"],
                                ["process-engineering", "research", "planning"],
                                ["sales", "marketing", "customer-service"],
                                ["logistics", "warehouse", "transport"], ["health-safety"]],
}

GRADES = [("board", "Board", 1), ("executive", "Executive", 2),
          ("head-of-department", "Head of department", 3), ("manager", "Manager", 4),
          ("specialist", "Specialist", 5), ("operative", "Operative", 6)]

DUTY_CATEGORIES = {
    "strategy-planning": "Strategy and planning",
    "people-management": "People management",
    "sales-negotiation": "Sales and negotiation",
    "market-research": "Market research and analysis",
    "advertising-pr": "Advertising and public relations",
    "contracts": "Contracts and legal",
    "partnerships": "Partnerships and external relations",
    "budget-finance": "Budget and finance",
    "operations": "Day-to-day operations",
    "reporting-control": "Reporting and control",
    "technical-documentation": "Technical documentation",
    "resources-supply": "Materials, labour and energy resources",
    "health-safety": "Health, safety and compliance",
    "customer-service": "Customer service",
}
FREQUENCIES = {"daily": 1.0, "weekly": 0.6, "monthly": 0.3, "quarterly": 0.15,
               "annually": 0.05, "as-needed": 0.25}
RIGHT_AREAS = {
    "budget": "Budget and spending",
    "staffing": "Hiring, dismissal and staff numbers",
    "pricing": "Prices and discounts",
    "contracts": "Contracts with customers and suppliers",
    "purchasing": "Purchases of goods and materials",
    "marketing": "Marketing and advertising actions",
    "scheduling": "Schedules and work assignments",
    "quality": "Acceptance of work and quality",
}
RIGHT_SCOPES = ["none", "recommend", "approve", "decide"]
INTERACTION_KINDS = {
    "suggestion": "Suggestions for improving the work",
    "shortcoming-report": "Reports of shortcomings and violations",
    "clarification": "Clarifications received and given",
    "report": "Reports and related documents",
    "coordination": "Coordination of joint work",
    "instruction": "Instructions and assignments",
    "negotiation": "Negotiations",
}
INTERACTION_DIRECTIONS = ["in", "out", "both"]
QUALITY_KINDS = ["personal", "professional", "corporate"]
REQUIREMENT_KINDS = ["education", "experience", "knowledge", "skill", "certification"]
SOURCE_NOTES = ["seed", "illustrative"]

DUTY_VERBS = {
    "strategy-planning": ["Develop", "Prepare", "Update", "Review", "Contribute to", "Implement",
                          "Draft", "Present", "Monitor the implementation of", "Coordinate"],
    "people-management": ["Organise", "Plan", "Review", "Oversee", "Coordinate", "Improve",
                          "Lead", "Monitor", "Set up", "Support"],
    "sales-negotiation": ["Negotiate", "Prepare", "Agree", "Close", "Follow up", "Develop",
                          "Manage", "Expand", "Review", "Secure"],
    "market-research": ["Analyse", "Research", "Monitor", "Study", "Collect data on", "Evaluate",
                        "Summarise", "Forecast", "Compare", "Map"],
    "advertising-pr": ["Plan", "Launch", "Coordinate", "Prepare", "Promote", "Evaluate",
                       "Organise", "Produce", "Update", "Manage"],
    "contracts": ["Draft", "Review", "Negotiate", "Approve", "Register", "Amend", "Check",
                  "Prepare", "Keep records of", "Monitor compliance with"],
    "partnerships": ["Maintain relations with", "Represent the company before", "Meet",
                     "Coordinate work with", "Develop cooperation with", "Correspond with",
                     "Build long-term relations with", "Handle requests from", "Brief", "Consult"],
    "budget-finance": ["Prepare", "Control", "Review", "Reconcile", "Forecast", "Approve",
                       "Analyse", "Plan", "Monitor", "Justify"],
    "operations": ["Organise", "Carry out", "Check", "Coordinate", "Monitor", "Process",
                   "Maintain", "Handle", "Schedule", "Supervise"],
    "reporting-control": ["Prepare reports on", "Check", "Control", "Record", "Analyse",
                          "Report on", "Audit", "Track", "Verify", "Summarise"],
    "technical-documentation": ["Prepare", "Check", "Update", "Approve", "Archive", "Issue",
                                "Revise", "Draft", "Keep", "Review"],
    "resources-supply": ["Order", "Plan", "Allocate", "Monitor", "Request", "Receive", "Account for",
                         "Optimise", "Secure", "Distribute"],
    "health-safety": ["Ensure compliance with", "Check", "Enforce", "Brief staff on", "Inspect",
                      "Investigate", "Update", "Monitor", "Organise", "Report breaches of"],
    "customer-service": ["Handle", "Respond to", "Resolve", "Register", "Follow up", "Answer",
                         "Escalate", "Advise customers on", "Track", "Improve"],
}
DUTY_OBJECTS = {
    "strategy-planning": ["the annual plan", "the medium-term development plan", "departmental objectives",
                          "the business plan", "priorities for the coming period", "improvement initiatives",
                          "the capacity plan", "key performance targets", "investment proposals",
                          "the long-range forecast", "process improvement projects", "the change programme",
                          "scenario analyses", "the workforce plan", "the digitalisation roadmap"],
    "people-management": ["the work of the team", "work assignments", "staff performance reviews",
                          "shift rotas", "individual development plans", "holiday schedules",
                          "training of new employees", "succession plans", "team meetings",
                          "workload distribution", "mentoring of junior colleagues", "the onboarding of new staff",
                          "staff incentives", "recruitment of team members", "team discipline"],
    "sales-negotiation": ["terms of supply with customers", "commercial proposals", "discounts and payment terms",
                          "new customer accounts", "sales opportunities", "repeat orders", "the sales pipeline",
                          "contracts with major customers", "cross-selling opportunities", "tender bids",
                          "price increases with customers", "annual volume agreements"],
    "market-research": ["market trends", "competitor activity", "customer needs", "price levels on the market",
                        "demand in the region", "the results of customer surveys", "market share",
                        "new market segments", "sales statistics", "supplier markets", "industry reports",
                        "customer satisfaction data"],
    "advertising-pr": ["advertising campaigns", "promotional materials", "the corporate website",
                       "social media content", "press releases", "participation in trade fairs",
                       "customer newsletters", "sponsorship activities", "the corporate identity",
                       "product presentations", "media relations", "internal communications"],
    "contracts": ["contracts with suppliers", "contracts with customers", "additional agreements",
                  "contract terms and conditions", "claims and penalties", "non-disclosure agreements",
                  "lease contracts", "service agreements", "subcontract agreements",
                  "powers of attorney", "contract registers", "framework agreements"],
    "partnerships": ["key partners", "government bodies", "banks", "industry associations",
                     "suppliers and contractors", "local authorities", "business partners",
                     "professional communities", "inspection bodies", "educational institutions"],
    "budget-finance": ["the departmental budget", "expense reports", "cost estimates", "cash requirements",
                       "the cost of operations", "budget deviations", "payment requests", "investment budgets",
                       "overhead costs", "the profitability of operations", "accounts payable", "cost savings"],
    "operations": ["day-to-day work", "incoming requests", "work orders", "the workflow", "routine checks",
                   "operational issues", "the work schedule", "daily tasks", "service requests",
                   "internal requests", "the registers of the unit", "handover between shifts"],
    "reporting-control": ["the results of the unit", "key performance indicators", "deadlines",
                          "the quality of work", "the fulfilment of plans", "operational data",
                          "deviations from standards", "the execution of orders", "the use of working time",
                          "the accuracy of records", "monthly results", "corrective actions"],
    "technical-documentation": ["technical specifications", "work instructions", "operating procedures",
                                "technical drawings", "process descriptions", "technical reports",
                                "acceptance certificates", "equipment manuals", "inspection records",
                                "standard operating procedures", "method statements", "technical standards"],
    "resources-supply": ["materials and consumables", "equipment and tools", "spare parts",
                         "the labour needed for the work", "energy resources", "office equipment",
                         "stocks of materials", "requests for materials", "the use of materials",
                         "vehicle capacity", "storage space", "work clothing"],
    "health-safety": ["safety rules", "fire safety requirements", "occupational health rules",
                      "environmental requirements", "workplace safety", "the use of protective equipment",
                      "safety instructions", "incident reports", "internal regulations",
                      "the requirements of labour law", "data protection rules", "emergency procedures"],
    "customer-service": ["customer enquiries", "customer complaints", "service requests",
                         "returns and exchanges", "customer feedback", "delivery questions",
                         "warranty requests", "orders of regular customers", "after-sales support",
                         "requests from the call centre", "customer accounts", "service quality"],
}
QUALIFIERS = [
    "in line with company policy", "within the agreed deadlines", "according to the approved plan",
    "in cooperation with the finance team", "together with the line manager", "using the ERP system",
    "in accordance with internal regulations", "to meet quality standards", "across all sites",
    "for the whole business area", "for key customers", "in line with the budget",
    "in accordance with legal requirements", "within the delegated authority",
    "together with neighbouring departments", "for new and existing projects",
    "in line with the annual targets", "with the help of external experts",
    "on the basis of current data", "to reduce costs", "to improve efficiency",
    "in accordance with the standards of the company", "for the management team",
    "in line with customer requirements", "according to the instructions of the manager",
    "in the electronic document system", "for the regional branches", "within the approved limits",
    "in line with best practice", "for the next reporting period", "at the request of management",
    "in line with the service level agreement", "with attention to risks", "for internal customers",
    "during peak periods", "in line with safety requirements", "on all assigned projects",
    "in accordance with the contract", "in close contact with suppliers", "with full documentation",
]
CONTEXTS = [
    "for the head office", "for the regional branches", "for new projects", "for the current year",
    "for priority orders", "for the main production site", "for small and medium customers",
    "for the northern region", "for the southern region", "for the capital region",
    "for export operations", "for the new product line", "for seasonal peaks",
    "for the largest contracts", "for cross-functional projects", "for the central warehouse",
    "for temporary sites", "for the service network", "for newly acquired units",
    "for the flagship projects", "for the night shift", "for the day shift", "for the pilot sites",
    "for the group companies", "for external partners", "for the upcoming audit",
    "for the annual closing", "for the investment programme", "for the digital channels",
    "for the key product groups",
]
TAILS = [
    ", keeping records up to date", ", escalating problems to the manager",
    ", and report deviations", ", and propose improvements", ", and inform the parties concerned",
    ", and document the results", ", and agree corrective measures", ", and keep the archive complete",
    ", and update the relevant registers", ", and prepare the necessary documents",
    ", and monitor the follow-up", ", ensuring that nothing is missed", ", and share lessons learned",
    ", and resolve disagreements", ", and track open items to closure", ", and brief the team",
    ", and check the data for errors", ", and coordinate approvals", ", and collect feedback",
    ", and evaluate the results", ", and keep management informed", ", and plan the next steps",
    ", and archive the supporting documents", ", and confirm the results in writing",
    ", and align the timing with other units", ", and flag risks early", ", and measure the effect",
    ", and agree the priorities with the manager", ", and reconcile the figures",
    ", and close the open questions", ", and hand over the results on time",
    ", and explain the variances", ", and check the work of contractors",
    ", and keep the checklists current", ", and support the colleagues concerned",
]
FREQUENCY_BY_CATEGORY = {  # (frequency, weight) choices
    "strategy-planning": [("monthly", 4), ("quarterly", 4), ("annually", 3), ("weekly", 1)],
    "people-management": [("daily", 3), ("weekly", 4), ("monthly", 2), ("as-needed", 1)],
    "sales-negotiation": [("daily", 3), ("weekly", 4), ("monthly", 1), ("as-needed", 2)],
    "market-research": [("weekly", 2), ("monthly", 4), ("quarterly", 3), ("as-needed", 1)],
    "advertising-pr": [("weekly", 3), ("monthly", 4), ("quarterly", 2), ("as-needed", 1)],
    "contracts": [("weekly", 3), ("monthly", 2), ("as-needed", 4), ("daily", 1)],
    "partnerships": [("monthly", 4), ("quarterly", 3), ("as-needed", 3), ("weekly", 1)],
    "budget-finance": [("monthly", 5), ("quarterly", 3), ("annually", 2), ("weekly", 1)],
    "operations": [("daily", 6), ("weekly", 3), ("as-needed", 1)],
    "reporting-control": [("weekly", 3), ("monthly", 5), ("daily", 1), ("quarterly", 1)],
    "technical-documentation": [("weekly", 3), ("monthly", 2), ("as-needed", 3), ("daily", 1)],
    "resources-supply": [("daily", 2), ("weekly", 4), ("monthly", 3), ("as-needed", 1)],
    "health-safety": [("daily", 3), ("weekly", 2), ("monthly", 2), ("as-needed", 2), ("annually", 1)],
    "customer-service": [("daily", 6), ("weekly", 2), ("as-needed", 2)],
}
# Duty categories that can use the department's own objects.
DEPT_OBJECT_VERBS = ["Manage", "Monitor", "Organise", "Check", "Coordinate", "Maintain", "Plan",
                     "Review", "Oversee", "Improve", "Control", "Handle", "Analyse", "Update"]

INTERACTION_SUBJECTS = {
    "suggestion": ["Suggestions to improve the work of the unit", "Ideas for cost savings",
                   "Proposals to simplify procedures", "Suggestions on workload and priorities",
                   "Proposals for new services"],
    "shortcoming-report": ["Shortcomings and violations in the work of the unit",
                           "Delays and missed deadlines", "Errors in documents and data",
                           "Breaches of procedures and safety rules", "Defects found in inspections"],
    "clarification": ["Clarifications received and given", "Questions about procedures and documents",
                      "Clarification of requirements and specifications", "Explanations of figures in reports",
                      "Questions about deadlines and priorities"],
    "report": ["Reports and related documents requested and provided", "Monthly results of the unit",
               "Progress of tasks and projects", "Weekly performance figures", "Status of open issues"],
    "coordination": ["Coordination of joint work", "Schedules and deadlines of joint tasks",
                     "Allocation of shared resources", "Hand-over of work between units",
                     "Joint projects and meetings"],
    "instruction": ["Instructions and assignments", "Tasks, priorities and deadlines",
                    "Orders and instructions of management", "Work assignments for the period",
                    "Changes to procedures"],
    "negotiation": ["Terms of contracts and agreements", "Prices, discounts and payment terms",
                    "Delivery terms and schedules", "Settlement of claims", "Terms of cooperation"],
}
EXTERNAL_PARTIES = ["customers", "suppliers", "auditors", "banks", "contractors", "consultants",
                    "government bodies", "insurers"]
RIGHT_LIMITS = {
    "budget": ["Within the approved budget of the unit", "Spending up to the limit set by the manager",
               "Re-allocation of funds within the budget lines of the unit", None],
    "staffing": ["Hiring and dismissal of staff of the unit", "Proposals on bonuses and penalties of staff",
                 "Selection of candidates for vacancies of the unit", None],
    "pricing": ["Discounts up to the limit of the discount policy", "Prices within the approved price list",
                "Special prices for key customers", None],
    "contracts": ["Contracts up to the threshold set by the general director", "Standard contracts of the unit",
                  "Additional agreements to existing contracts", None],
    "purchasing": ["Purchases within the approved purchase plan", "Urgent purchases up to the set limit",
                   "Choice of suppliers from the approved list", None],
    "marketing": ["Marketing actions within the approved plan", "Content of local advertising",
                  "Participation in local events", None],
    "scheduling": ["Work schedules and assignments of the unit", "Own working time and task order",
                   "Priorities of daily tasks", "Shift patterns within the approved rota", None],
    "quality": ["Acceptance of work done by the unit", "Rejection of defective materials",
                "Sign-off of inspection results", None],
}
QUALITIES = {
    "personal": ["Reliability", "Attention to detail", "Stress resistance", "Initiative", "Honesty",
                 "Patience", "Self-discipline", "Flexibility", "Curiosity", "Calm under pressure",
                 "Punctuality", "Persistence"],
    "professional": ["Analytical thinking", "Planning and organising skills", "Negotiation skills",
                     "Knowledge of the industry", "Technical competence", "Clear written communication",
                     "Customer focus", "Problem solving", "Decision making", "Presentation skills",
                     "Leadership", "Numeracy"],
    "corporate": ["Loyalty to the company", "Commitment to safety", "Respect for colleagues",
                  "Responsibility for the company's reputation", "Team spirit", "Compliance with rules",
                  "Care for company property", "Openness to change"],
}
EDUCATION = ["Higher education in economics or management", "Higher technical education",
             "Higher education in the relevant field", "Vocational education in the relevant trade",
             "Secondary education and on-the-job training", "Higher education in law",
             "Higher education in engineering", "A degree in business administration; an MBA is an advantage"]
EXPERIENCE = ["Experience in a similar role", "Experience in the industry", "Experience managing a team",
              "Experience in a company of comparable size", "Practical experience in the field"]
SKILLS = ["Working with office software and the ERP system", "Business correspondence",
          "Working with large amounts of data", "Managing several tasks at once", "Public speaking",
          "Reading technical drawings", "Working with spreadsheets", "Running effective meetings"]
OPERATIVE_SKILLS = ["Using hand and power tools", "Reading simple drawings and work orders",
                    "Operating the equipment of the workplace", "Working in a team on shifts",
                    "Handling goods and materials safely"]
OPERATIVE_RIGHT = ("scheduling", "decide", "Stop own work in case of immediate danger to life or health")
CERTIFICATIONS = ["Certificate in occupational safety", "Fire safety certificate",
                  "Professional certificate in the field", "Driving licence", "First aid certificate",
                  "Permit for work at height", "Electrical safety clearance"]
GENERIC_KPIS = [("Plan fulfilment", "At least 100 % of the plan for the period"),
                ("Deadlines met", "At least 95 % of tasks completed on time"),
                ("Budget discipline", "Costs within the approved budget"),
                ("Error rate", "Less than 2 % of documents returned for correction"),
                ("Internal customer satisfaction", "Average score of 4 out of 5 or better"),
                ("Safety incidents", "Zero lost-time incidents"),
                ("Staff turnover", "Below 10 % a year in the unit"),
                ("Productivity", "Output per employee at or above last year's level")]
OPERATIVE_DEPARTMENT_LEAF_SHARE = 0.65
SENIOR_PREFIXES = ["Senior", "Lead", "Junior"]

_SLUG = re.compile(r"[^a-z0-9]+")


# --------------------------------------------------------------------------- helpers

def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if '"' in text:
        text = text.replace('"', '\\"')
    if "\n" in text or "\t" in text or "\r" in text:
        text = text.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{text}"'


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def _cum(weights: list[float]) -> list[float]:
    return list(accumulate(weights))


def _pick(rng: random.Random, items: list, cum: list[float]):
    return items[bisect(cum, rng.random() * cum[-1])]


class _Node:
    __slots__ = ("index", "layer", "parent", "children", "department", "scope", "title", "grade",
                 "headcount", "role_id", "area", "dotted")

    def __init__(self, index: int, layer: int, parent: "_Node | None"):
        self.index = index
        self.layer = layer
        self.parent = parent
        self.children: list[_Node] = []
        self.department = ""
        self.scope: list[str] = []
        self.title = ""
        self.grade = ""
        self.headcount = 1
        self.role_id = ""
        self.area = ""
        self.dotted: str | None = None


# --------------------------------------------------------------------------- structure

def _max_nodes(depth: int) -> int:
    return sum(MAX_SPAN ** k for k in range(depth))


def _level_sizes(rng: random.Random, n: int, depth: int) -> list[int]:
    """Role counts per layer (layer 1 = the root) adding up to n, growing roughly geometrically."""
    lo, hi = 1.0, float(MAX_SPAN)
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(mid ** k for k in range(depth)) < n:
            lo = mid
        else:
            hi = mid
    ratio = (lo + hi) / 2
    raw = [ratio ** k * rng.uniform(0.85, 1.15) for k in range(1, depth)]
    scale = (n - 1) / sum(raw)
    sizes = [1] + [max(MIN_SPAN, round(x * scale)) for x in raw]
    for k in range(1, depth):  # a layer cannot outgrow the layer above times the largest span
        sizes[k] = min(sizes[k], MAX_SPAN * sizes[k - 1])

    def can_grow(k: int) -> bool:
        return sizes[k] + 1 <= MAX_SPAN * sizes[k - 1]

    def can_shrink(k: int) -> bool:
        below_ok = k == depth - 1 or sizes[k + 1] <= MAX_SPAN * (sizes[k] - 1)
        return sizes[k] > MIN_SPAN and below_ok

    while sum(sizes) != n:
        grow = sum(sizes) < n
        order = sorted(range(1, depth), key=lambda k: -sizes[k])  # largest layers absorb changes
        for k in order:
            if (can_grow(k) if grow else can_shrink(k)):
                sizes[k] += 1 if grow else -1
                break
        else:
            raise ValueError(f"cannot build a {depth}-layer tree of {n} roles")
    return sizes


def _spread(rng: random.Random, total: int, slots: int) -> list[int]:
    """Split `total` into `slots` counts each within MIN_SPAN..MAX_SPAN, unevenly."""
    counts = [MIN_SPAN] * slots
    weights = [rng.random() ** 2 + 0.15 for _ in range(slots)]
    remaining = total - MIN_SPAN * slots
    while remaining > 0:
        open_slots = [i for i in range(slots) if counts[i] < MAX_SPAN]
        total_weight = sum(weights[i] for i in open_slots)
        given = 0
        for i in open_slots:
            add = min(MAX_SPAN - counts[i], int(remaining * weights[i] / total_weight))
            counts[i] += add
            given += add
        remaining -= given
        if given == 0:
            for i in sorted(open_slots, key=lambda i: -weights[i])[:remaining]:
                counts[i] += 1
                remaining -= 1
    return counts


def _build_tree(rng: random.Random, n: int, depth: int) -> list[_Node]:
    """Nodes of one area's tree in breadth-first order; nodes[0] is the root."""
    sizes = _level_sizes(rng, n, depth)
    root = _Node(0, 1, None)
    nodes = [root]
    level = [root]
    for k in range(1, depth):
        below = sizes[k]
        low = max(1, math.ceil(below / MAX_SPAN))
        high = min(len(level), below // MIN_SPAN)
        managers = min(high, max(low, round(below / rng.uniform(2.5, 7.0))))
        chosen = sorted(rng.sample(range(len(level)), managers))
        counts = _spread(rng, below, managers)
        next_level = []
        for position, count in zip(chosen, counts):
            parent = level[position]
            for _ in range(count):
                node = _Node(len(nodes), k + 1, parent)
                parent.children.append(node)
                nodes.append(node)
                next_level.append(node)
        level = next_level
    return nodes


def _assign_departments(rng: random.Random, root: _Node, departments: list[str]) -> None:
    root.scope = departments
    root.department = departments[0]
    stack = [root]
    while stack:
        node = stack.pop()
        rest = node.scope[1:]
        managers = [c for c in node.children if c.children]
        targets = managers or node.children
        others = [c for c in node.children if c not in targets] if managers else []
        if rest:
            order = targets[:]
            rng.shuffle(order)
            chunks = min(len(rest), len(order))
            for i, child in enumerate(order):
                if i < chunks:
                    start, stop = i * len(rest) // chunks, (i + 1) * len(rest) // chunks
                    child.scope = rest[start:stop]
                else:  # more managers than departments: a second head of one of them
                    child.scope = [rng.choice(rest)]
        else:
            for child in targets:
                child.scope = [node.department]
        for child in others:
            child.scope = [node.department if rng.random() < 0.6 else rng.choice(node.scope)]
        for child in node.children:
            child.department = child.scope[0]
            stack.append(child)


def _cover_departments(trees: dict[str, list[_Node]]) -> None:
    """Give a missing department to a leaf role, so every department has roles when possible.

    A department can get lost when a role without reports inherits several departments;
    the leaf taken is one below the role that held the department, and only from a
    department with other roles, so no department is uncovered in exchange.
    """
    used: dict[str, int] = dict.fromkeys(DEPARTMENTS, 0)
    for nodes in trees.values():
        for node in nodes:
            used[node.department] += 1
    for area, nodes in trees.items():
        for department in (d for group in AREA_DEPARTMENTS[area] for d in group):
            if used[department]:
                continue
            holders = [n for n in nodes if department in n.scope]
            holder = max(holders, key=lambda n: n.layer) if holders else nodes[0]
            subtree, stack = [], [holder]
            while stack:
                current = stack.pop()
                subtree.append(current)
                stack.extend(reversed(current.children))
            leaves = [n for n in subtree + nodes if not n.children and used[n.department] > 1]
            if leaves:
                leaf = leaves[0]
                used[leaf.department] -= 1
                leaf.department = department
                leaf.scope = [department]
                used[department] += 1


def _assign_titles(rng: random.Random, nodes: list[_Node], area: str) -> None:
    for node in nodes:
        label, short, _, specialists, operatives, _, _ = DEPARTMENTS[node.department]
        if node.parent is None:
            node.title, node.grade = f"Managing Director, {BUSINESS_AREAS[area][1]}", "executive"
        elif node.children:
            if node.layer == 2:
                node.title, node.grade = f"{short} Director", "executive"
            elif node.layer == 3:
                node.title, node.grade = f"Head of {short}", "head-of-department"
            elif not any(c.children for c in node.children) and node.layer >= 5:
                node.title, node.grade = f"{short} Team Leader", "manager"
            else:
                node.title, node.grade = f"{short} Manager", "manager"
        elif operatives and node.layer >= 3 and rng.random() < OPERATIVE_DEPARTMENT_LEAF_SHARE:
            node.title, node.grade = rng.choice(operatives), "operative"
        else:
            title = rng.choice(specialists)
            if rng.random() < 0.25 and not title.startswith(tuple(SENIOR_PREFIXES)):
                title = f"{rng.choice(SENIOR_PREFIXES)} {title}"
            node.title, node.grade = title, "specialist"


def _assign_headcounts(rng: random.Random, nodes: list[_Node]) -> None:
    """Most roles are single posts; some specialist and operative posts have several holders.

    The headcount of a manager's direct reports never exceeds MAX_SPAN, so the span of
    control stays within MIN_SPAN..MAX_SPAN whether counted in roles or in people.
    """
    for node in nodes:
        if not node.children:
            continue
        budget = MAX_SPAN - len(node.children)
        leaves = [c for c in node.children if not c.children]
        rng.shuffle(leaves)
        for leaf in leaves:
            if budget <= 0:
                break
            chance, most = (0.45, 10) if leaf.grade == "operative" else (0.15, 4)
            if rng.random() < chance:
                extra = min(budget, rng.randint(1, most - 1))
                leaf.headcount += extra
                budget -= extra


# --------------------------------------------------------------------------- role text

_GRADE_CATEGORY_BOOST = {
    "executive": {"strategy-planning": 5, "people-management": 4, "budget-finance": 3,
                  "reporting-control": 3, "partnerships": 3, "operations": 0.5,
                  "customer-service": 0.3, "resources-supply": 0.5},
    "head-of-department": {"strategy-planning": 3, "people-management": 4, "budget-finance": 2.5,
                           "reporting-control": 3, "operations": 0.8},
    "manager": {"people-management": 4, "reporting-control": 2.5, "operations": 2,
                "strategy-planning": 1.2},
    "specialist": {"people-management": 0.15, "strategy-planning": 0.4, "partnerships": 0.5,
                   "operations": 2},
    "operative": {"operations": 6, "health-safety": 3, "resources-supply": 2,
                  "people-management": 0.05, "strategy-planning": 0.05, "partnerships": 0.1,
                  "budget-finance": 0.1, "market-research": 0.1, "advertising-pr": 0.1,
                  "contracts": 0.1},
}
_CATEGORIES = list(DUTY_CATEGORIES)
_FREQ = {c: ([f for f, _ in pairs], _cum([w for _, w in pairs]))
         for c, pairs in FREQUENCY_BY_CATEGORY.items()}
_AUTHORITY_BASE = {"executive": 5, "head-of-department": 4, "manager": 3, "specialist": 2,
                   "operative": 1}
_HOURS_BASE = {"executive": 47, "head-of-department": 45, "manager": 43, "specialist": 40,
               "operative": 40}
_RIGHT_COUNT = {"executive": (4, 7), "head-of-department": (3, 5), "manager": (2, 4),
                "specialist": (1, 2), "operative": (0, 1)}
_RIGHT_SCOPE = {"executive": (["approve", "decide"], [1, 3]),
                "head-of-department": (["recommend", "approve", "decide"], [1, 3, 2]),
                "manager": (["recommend", "approve", "decide"], [2, 3, 1]),
                "specialist": (["none", "recommend", "approve"], [1, 4, 1]),
                "operative": (["none", "recommend", "decide"], [2, 3, 1])}
_TRAVEL = {"sales": 30, "key-accounts": 40, "site-operations": 20, "real-estate": 20,
           "logistics": 15, "transport": 50, "procurement": 20, "executive": 15,
           "strategy": 15, "equipment": 25, "health-safety": 25, "quality": 15}


def _category_weights(department: str, grade: str) -> list[float]:
    focus = DEPARTMENTS[department][2]
    boost = _GRADE_CATEGORY_BOOST[grade]
    return [(6.0 if c in focus else 1.0) * boost.get(c, 1.0) for c in _CATEGORIES]


def _time_shares(rng: random.Random, count: int) -> list[int]:
    """Whole-percent time shares, each at least 1, adding up to 85-100."""
    total = rng.randint(MIN_TIME_TOTAL, MAX_TIME_TOTAL)
    weights = [rng.random() ** 2 + 0.1 for _ in range(count)]
    spare = total - count
    scale = spare / sum(weights)
    raw = [w * scale for w in weights]
    shares = [int(x) for x in raw]
    left = spare - sum(shares)
    for i in sorted(range(count), key=lambda i: shares[i] - raw[i])[:left]:
        shares[i] += 1
    return [s + 1 for s in shares]


def _duties(rng: random.Random, node: _Node, cum_weights: list[float]) -> list[str]:
    count = rng.randint(MIN_DUTIES, MAX_DUTIES)
    shares = _time_shares(rng, count)
    objects = DEPARTMENTS[node.department][5]
    short = DEPARTMENTS[node.department][1]
    focus = DEPARTMENTS[node.department][2]
    seen: set[str] = set()
    out: list[str] = []
    random_ = rng.random

    def one(items: list[str]) -> str:  # faster than rng.choice; still only this rng
        return items[int(random_() * len(items))]

    for share in shares:
        for _ in range(5):  # a few tries for a text not used in this role yet
            category = _pick(rng, _CATEGORIES, cum_weights)
            if (category in focus or category == "operations") and random_() < 0.45:
                text = f"{one(DEPT_OBJECT_VERBS)} {one(objects)}"
            else:
                text = f"{one(DUTY_VERBS[category])} {one(DUTY_OBJECTS[category])}"
                if random_() < 0.25:
                    text += f" of the {short} unit"
            if random_() < 0.5:
                text += f" {one(CONTEXTS)}"
            if random_() < 0.85:
                text += f" {one(QUALIFIERS)}"
                if random_() < 0.4:
                    text += one(TAILS)
            else:
                text += one(TAILS)
            if text not in seen:
                break
        seen.add(text)
        frequency = _pick(rng, *_FREQ[category])
        essential = "true" if random_() < (0.35 + share / 12) else "false"
        out.append(f"  - text: {_q(text)}\n    category: \"{category}\"\n"
                   f"    frequency: \"{frequency}\"\n    time_share: {share}\n"
                   f"    essential: {essential}\n")
    return out


def _clamp(value: int, low: int = 1, high: int = 5) -> int:
    return max(low, min(high, value))


def _role_yaml(rng: random.Random, node: _Node, area_layers: list[list[_Node]], seed: int,
               category_cum: dict[tuple[str, str], list[float]]) -> str:
    dept = DEPARTMENTS[node.department]
    label, short, _, _, _, objects, externals = dept
    grade = node.grade
    manager = node.parent
    parts: list[str] = []
    add = parts.append

    # header
    add(f"id: {_q(node.role_id)}\ntitle: {_q(node.title)}\ndepartment: {_q(node.department)}\n"
        f"business_area: {_q(node.area)}\ngrade: {_q(grade)}\n")
    add(f"reports_to: {_q(manager.role_id)}\n" if manager else "reports_to: null\n")
    add(f"dotted_to: [{_q(node.dotted)}]\n" if node.dotted else "dotted_to: []\n")
    add(f"headcount: {node.headcount}\n")
    focus_objects = rng.sample(objects, 3)
    area_label = BUSINESS_AREAS[node.area][0].lower()
    if node.children:
        lead = (f"Leads the {short} unit of the {area_label} with {len(node.children)} direct "
                "reports")
    else:
        lead = f"Works in the {short} unit of the {area_label}"
    summary = (f"{lead} and is responsible for {focus_objects[0]}, {focus_objects[1]} and "
               f"{focus_objects[2]}.")
    summary += (f" Reports to the {manager.title}." if manager
                else " Answers to the shareholders for the results of the business area.")
    add(f"summary: {_q(summary)}\n")
    modified = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700))
    add(f"source:\n  document: \"Synthetic job description (seed {seed})\"\n"
        f"  modified: {modified.isoformat()}\n  note: \"illustrative\"\n")

    # responsibilities
    add("responsibilities:\n")
    parts += _duties(rng, node, category_cum[(node.department, grade)])

    # qualities and requirements
    add("qualities:\n")
    for kind in QUALITY_KINDS:
        for name in rng.sample(QUALITIES[kind], rng.randint(0, 2) if kind == "corporate" else
                               rng.randint(1, 2)):
            add(f"  - name: {_q(name)}\n    kind: \"{kind}\"\n")
    add("requirements:\n")
    education = EDUCATION[4] if grade == "operative" and rng.random() < 0.6 else rng.choice(EDUCATION)
    add(f"  - kind: \"education\"\n    text: {_q(education)}\n")
    years = {"executive": 10, "head-of-department": 7, "manager": 5, "specialist": 2,
             "operative": 0}[grade] + rng.randint(0, 3)
    add(f"  - kind: \"experience\"\n    text: {_q(rng.choice(EXPERIENCE))}\n    years: {years}\n")
    add(f"  - kind: \"knowledge\"\n    text: {_q(f'Procedures of the {short} unit, including {rng.choice(objects)}')}\n")
    if rng.random() < 0.7:
        skills = OPERATIVE_SKILLS if grade == "operative" else SKILLS
        add(f"  - kind: \"skill\"\n    text: {_q(rng.choice(skills))}\n")
    if rng.random() < (0.6 if grade == "operative" else 0.2):
        add(f"  - kind: \"certification\"\n    text: {_q(rng.choice(CERTIFICATIONS))}\n")

    # rights
    low, high = _RIGHT_COUNT[grade]
    areas = rng.sample(list(RIGHT_AREAS), rng.randint(low, high))
    if grade == "operative":
        if areas:
            area, scope, limit = OPERATIVE_RIGHT
            add(f"rights:\n  - area: \"{area}\"\n    scope: \"{scope}\"\n    limit: {_q(limit)}\n")
        else:
            add("rights: []\n")
    elif areas:
        add("rights:\n")
        scopes, weights = _RIGHT_SCOPE[grade]
        for area in areas:
            scope = rng.choices(scopes, weights)[0]
            add(f"  - area: \"{area}\"\n    scope: \"{scope}\"\n")
            limit = rng.choice(RIGHT_LIMITS[area])
            if limit:
                add(f"    limit: {_q(limit)}\n")
    else:
        add("rights: []\n")

    # authority and workload
    base = _AUTHORITY_BASE[grade]
    add("authority:\n")
    for scale in ("freedom_to_make_decisions", "impact_of_decisions",
                  "responsibility_for_outcomes", "frequency_of_decisions"):
        shift = 1 if scale == "frequency_of_decisions" and grade in ("manager", "operative") else 0
        add(f"  {scale}: {_clamp(base + shift + rng.choice((-1, 0, 0, 1)))}\n")
    hours = min(50.0, _HOURS_BASE[grade] + rng.choice((-2, -1, 0, 0, 0, 0.5, 1, 2, 3)))
    travel = min(90, max(0, _TRAVEL.get(node.department, 5) + rng.choice((-10, -5, 0, 0, 5, 10))))
    add(f"workload:\n  weekly_hours: {hours:g}\n  time_pressure: {_clamp(2 + rng.randint(0, 3))}\n"
        f"  travel_share: {travel}\n")

    # interactions
    links: list[tuple[str, str, str]] = []  # (with, direction, kind)
    if manager:
        links.append((manager.role_id, "in", "instruction"))
        links.append((manager.role_id, "out", rng.choice(("report", "report", "suggestion",
                                                          "shortcoming-report"))))
    for child in rng.sample(node.children, min(2, len(node.children))):
        links.append((child.role_id, "out", "instruction"))
        links.append((child.role_id, "in", "report"))
    if manager and len(manager.children) > 1:
        peer = rng.choice(manager.children)
        if peer is not node:
            links.append((peer.role_id, "both", rng.choice(("coordination", "clarification"))))
    for _ in range(rng.randint(0, 2)):
        layer = min(max(node.layer + rng.choice((-1, 0, 0, 1)), 1), len(area_layers))
        other = rng.choice(area_layers[layer - 1])
        if other is not node:
            links.append((other.role_id, rng.choice(INTERACTION_DIRECTIONS),
                          rng.choice(("coordination", "clarification", "report", "suggestion",
                                      "shortcoming-report"))))
    if node.dotted:
        links.append((node.dotted, "out", "report"))
    external_count = rng.randint(1, 3) if grade != "operative" else rng.randint(0, 1)
    parties = list(dict.fromkeys(externals + EXTERNAL_PARTIES))
    for party in rng.sample(parties, external_count):
        kind = rng.choice(("negotiation", "coordination", "clarification", "report"))
        links.append((f"external:{party}", "both" if kind != "report" else "out", kind))
    links = list(dict.fromkeys(links))
    if links:
        add("interactions:\n")
        for target, direction, kind in links:
            add(f"  - with: {_q(target)}\n    direction: \"{direction}\"\n    kind: \"{kind}\"\n"
                f"    subject: {_q(rng.choice(INTERACTION_SUBJECTS[kind]))}\n")
    else:
        add("interactions: []\n")

    # KPIs and career
    add("kpis:\n")
    for name, target in rng.sample(GENERIC_KPIS, rng.randint(1, 3)):
        add(f"  - name: {_q(name)}\n    target: {_q(target)}\n")
    add(f"  - name: {_q(f'{short} service level')}\n"
        f"    target: {_q(f'Agreed service level for {rng.choice(objects)} met every month')}\n")
    if manager and rng.random() < CAREER_SHARE:
        add(f"career:\n  next: [{_q(manager.role_id)}]\n")
    else:
        add("career:\n  next: []\n")
    return "".join(parts)


# --------------------------------------------------------------------------- taxonomy

def _taxonomy_yaml() -> str:
    out = ["# Vocabularies of a synthetic role catalogue written by jdcore.synth.\n"
           "# Same vocabularies and weights as data/taxonomy.yaml, with 40 departments and\n"
           "# 3 business areas.\n\n"]
    add = out.append

    def mapping(name: str, items: dict[str, str]) -> None:
        add(f"{name}:\n")
        for key, value in items.items():
            add(f"  {key}: {_q(value)}\n")
        add("\n")

    def sequence(name: str, items: list[str]) -> None:
        add(f"{name}: [{', '.join(_q(i) for i in items)}]\n\n")

    mapping("business_areas", {k: v[0] for k, v in BUSINESS_AREAS.items()})
    mapping("departments", {k: v[0] for k, v in DEPARTMENTS.items()})
    add("grades:\n")
    for gid, name, level in GRADES:
        add(f"  - id: {_q(gid)}\n    name: {_q(name)}\n    level: {level}\n")
    add("\n")
    mapping("duty_categories", DUTY_CATEGORIES)
    add("frequencies:\n")
    for key, weight in FREQUENCIES.items():
        add(f"  {key}: {weight}\n")
    add("\n")
    mapping("decision_right_areas", RIGHT_AREAS)
    sequence("decision_right_scopes", RIGHT_SCOPES)
    mapping("interaction_kinds", INTERACTION_KINDS)
    sequence("interaction_directions", INTERACTION_DIRECTIONS)
    sequence("quality_kinds", QUALITY_KINDS)
    sequence("requirement_kinds", REQUIREMENT_KINDS)
    sequence("source_notes", SOURCE_NOTES)
    add("span_of_control:\n  min: 3\n  max: 12\n\nmax_weekly_hours: 50\n\n")
    add("authority_index:\n  weights:\n    freedom_to_make_decisions: 0.2\n"
        "    impact_of_decisions: 0.2\n    responsibility_for_outcomes: 0.15\n"
        "    frequency_of_decisions: 0.1\n    decision_rights: 0.2\n    span: 0.15\n"
        "  span_reference: 200\n\n")
    add("workload_index:\n  weights:\n    weekly_hours: 0.3\n    time_pressure: 0.25\n"
        "    duty_load: 0.2\n    management_load: 0.15\n    travel: 0.1\n"
        "  hours_floor: 20\n  hours_ceiling: 60\n  duty_load_reference: 6\n")
    return "".join(out)


# --------------------------------------------------------------------------- entry point

def _area_sizes(rng: random.Random, roles: int) -> dict[str, int]:
    weights = {a: s * rng.uniform(0.9, 1.1) for a, s in AREA_SHARES.items()}
    total = sum(weights.values())
    sizes = {a: max(2 * MIN_LAYERS - 1, round(roles * w / total)) for a, w in weights.items()}
    biggest = max(sizes, key=lambda a: sizes[a])
    sizes[biggest] += roles - sum(sizes.values())
    return sizes


def _prepare_folder(out_dir: str | Path) -> Path:
    out = Path(out_dir)
    if out.exists():
        if not out.is_dir():
            raise ValueError(f"cannot write a synthetic catalogue to '{out}': it is a file, "
                             "not a folder")
        if any(out.iterdir()):
            raise ValueError(f"cannot write a synthetic catalogue to '{out}': the folder is not "
                             "empty; give a new or empty folder")
    return out


def write_synthetic_catalogue(out_dir: str | Path, roles: int, seed: int) -> None:
    """Write taxonomy.yaml and roles/<id>.yaml of a valid synthetic catalogue into out_dir.

    out_dir must not exist or be empty (ValueError otherwise); roles must be at least
    MIN_ROLES. The same (roles, seed) always writes byte-identical files.
    """
    if isinstance(roles, bool) or not isinstance(roles, int) or roles < MIN_ROLES:
        raise ValueError(f"roles must be a whole number of at least {MIN_ROLES}, got {roles!r}")
    out = _prepare_folder(out_dir)
    rng = random.Random(seed)

    trees: dict[str, list[_Node]] = {}
    all_nodes: list[_Node] = []
    layers_of: dict[str, list[list[_Node]]] = {}  # area -> roles of each layer
    for area, size in _area_sizes(rng, roles).items():
        depths = [d for d in range(MIN_LAYERS, MAX_LAYERS + 1) if 2 * d - 1 <= size <= _max_nodes(d)]
        if not depths:
            raise ValueError(f"{roles} roles cannot be arranged in trees of {MIN_LAYERS} to "
                             f"{MAX_LAYERS} layers with spans of {MIN_SPAN} to {MAX_SPAN}")
        nodes = _build_tree(rng, size, rng.choice(depths))
        head, *groups = AREA_DEPARTMENTS[area]
        rng.shuffle(groups)
        departments = head + [d for group in groups for d in group]
        _assign_departments(rng, nodes[0], departments)
        trees[area] = nodes
    _cover_departments(trees)

    for area, nodes in trees.items():
        _assign_titles(rng, nodes, area)
        _assign_headcounts(rng, nodes)
        for node in nodes:
            node.area = area
        layers: list[list[_Node]] = []
        for node in nodes:
            if node.layer > len(layers):
                layers.append([])
            layers[node.layer - 1].append(node)
        layers_of[area] = layers
        all_nodes += nodes

    width = max(5, len(str(roles)))
    for number, node in enumerate(all_nodes, 1):
        node.role_id = f"r{number:0{width}d}-{_slug(node.title)}"

    managers = [n for n in all_nodes if n.children]
    for node in all_nodes:
        if node.parent is not None and rng.random() < DOTTED_SHARE:
            target = rng.choice(managers)
            if target is not node and target is not node.parent:
                node.dotted = target.role_id

    category_cum = {(d, g): _cum(_category_weights(d, g))
                    for d in DEPARTMENTS for g in _AUTHORITY_BASE}
    texts = [(node.role_id, _role_yaml(rng, node, layers_of[node.area], seed, category_cum))
             for node in all_nodes]

    roles_dir = out / "roles"
    roles_dir.mkdir(parents=True, exist_ok=True)
    with open(out / "taxonomy.yaml", "w", encoding="utf-8", newline="\n") as handle:
        handle.write(_taxonomy_yaml())
    for role_id, text in texts:
        with open(roles_dir / f"{role_id}.yaml", "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
