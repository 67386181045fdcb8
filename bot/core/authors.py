"""Who may post for which county, and who may see a county's followers.

Plain Python. The Teams adapter looks the sender up (TeamsInfo.get_member) and hands the result
here as a Member; the rules live here alone: an officer or deputy posts for their own counties,
an editor (officers.yaml, editors:) for every county, anyone else for none. The same people may
see who follows their counties; everyone else sees only how many do.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.messages import join_words, text
from bot.data.directory import Directory


@dataclass(frozen=True, slots=True)
class Member:
    """What the member look-up says about the sender: only what the feature needs."""

    user_id: str  # the Teams user id ("29:..."), as in activity.from.id
    aad_object_id: str
    name: str
    upn: str  # userPrincipalName, the sign-in name
    email: str

    @property
    def sign_ins(self) -> tuple[str, ...]:
        """Return the names this member may appear under in officers.yaml (upn, e-mail)."""
        return tuple(dict.fromkeys(value for value in (self.upn, self.email) if value))


@dataclass(frozen=True, slots=True)
class Authority:
    """What one member may do with the county channel."""

    counties: tuple[str, ...]  # the county codes they may post for, in code order
    editor: bool  # a coordinator: posts for every county

    @property
    def may_post(self) -> bool:
        """Say whether they may post for any county at all."""
        return bool(self.counties)

    def may_post_for(self, code: str) -> bool:
        """Say whether they may post for county `code`."""
        return code in self.counties

    def may_see_followers(self, code: str) -> bool:
        """Say whether they may see the names of county `code`'s followers (not only the count)."""
        return self.editor or code in self.counties


NOBODY = Authority((), False)


def authority(member: Member | None, directory: Directory) -> Authority:
    """Return what `member` may do according to the directory (nothing for an unknown sender)."""
    if member is None:
        return NOBODY
    sign_ins = member.sign_ins
    editor = any(editor.signs_in_as(name) for editor in directory.editors for name in sign_ins)
    if editor:
        return Authority(tuple(sorted(directory.contacts)), True)
    counties = sorted({code for name in sign_ins for code in directory.counties_of(name)})
    return Authority(tuple(counties), False)


def posters(code: str, directory: Directory) -> tuple[str, ...]:
    """Return the names of the people who may post for county `code`: officers, deputy, editors."""
    contacts = directory.contacts.get(code)
    names = [officer.name for officer in contacts.officers] if contacts else []
    if contacts and contacts.deputy is not None:
        names.append(contacts.deputy.name)
    names += [editor.name for editor in directory.editors]
    return tuple(dict.fromkeys(names))


def who_may_post(code: str | None, directory: Directory, language: str) -> str:
    """Return the one polite sentence for someone who may not post: who can, and what to do."""
    if code is None or code not in directory.geography.by_code:
        return text("post_refused", language)
    county = directory.geography.county(code).name
    names = posters(code, directory)
    if not names:
        return text("post_refused_vacant", language, county=county)
    return text("post_refused_county", language, county=county, names=join_words(list(names), language, "and"))


def role_label(code: str, directory: Directory, language: str) -> str:
    """Return the role a post is signed with once its writer is forgotten ("länsansvarig för ...")."""
    county = directory.geography.by_code.get(code)
    return text("role_signature", language, county=county.name if county else code)
