# The two commands of the README. Both create .venv on first use and reuse it after.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
CORPUS ?= seeds
OUT    ?= build

.PHONY: report test lab docs-figures clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	# JupyterLab opens the notebooks (jupytext scripts) as notebooks on double-click
	mkdir -p $(VENV)/etc/jupyter/labconfig
	cp jupyter/labconfig/default_setting_overrides.json $(VENV)/etc/jupyter/labconfig/
	touch $@

report: $(VENV)/.installed
	$(PY) -m toolkit report --corpus $(CORPUS) --out $(OUT)

test: $(VENV)/.installed
	$(PY) -m pytest -q

lab: $(VENV)/.installed
	$(VENV)/bin/jupyter lab notebooks

# The README's pictures: the report on the development corpus (../shared/corpus/dev_seeds), a few
# of its PNGs copied to docs/ (figures only: no headline or quotation is drawn in them).
DEV_CORPUS ?= ../shared/corpus/dev_seeds
DOCS_FIGURES := articles_per_outlet timeline_volume framing_actor_tone framing_naming_index topics_by_country
docs-figures: $(VENV)/.installed
	$(PY) -m toolkit report --corpus $(DEV_CORPUS) --out build/docs-report
	mkdir -p docs
	for name in $(DOCS_FIGURES); do cp build/docs-report/figures/$$name.png docs/$$name.png; done

clean:
	rm -rf $(OUT)
