"""What a question's answer block and its parts are called, on the page (qbank/render.py) and in
search results (qbank/search.py): one list, so the two never disagree."""

SUMMARY = "Show answer"
ANSWER_LABEL = "Answer"
DIAGRAM_LABEL = "Diagram"
HOW_LABEL = "How to answer"
RUBRIC_LABEL = "What the interviewer checks"
EXAMPLE_LABEL = "Example answer"
FOLLOW_UPS_LABEL = "Follow-up questions"
NUMBERS_LABEL = "Numbers used"
REFERENCES_LABEL = "References"
RELATED_LABEL = "Related questions"
