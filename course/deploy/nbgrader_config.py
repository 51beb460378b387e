"""Class-wide nbgrader settings of a minichain class on JupyterHub.

Installed as /etc/jupyter/nbgrader_config.py by course/deploy/Dockerfile (Kubernetes) and by
course/deploy/tljh/setup.sh (one machine), so every learner's Assignments tab and the instructor's
`nbgrader release_assignment` / `nbgrader collect` use the same course and the same exchange. The
course root (labs/nbgrader_config.py) sets everything else; its course id must be the same.
"""

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (injected by traitlets)

c.CourseDirectory.course_id = "minichain"

# A folder every user can write: a shared volume on Kubernetes, a local folder on one machine.
c.Exchange.root = "/srv/nbgrader/exchange"
