"""Placeholder: filled in by the issue 6 work."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
