import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from server.api.enums import Channel
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.ingestion.import_types import ImportJob
from server.api.ingestion.records_ingest import CanIngest
from server.ingestion import imports
from server.ingestion.files import MAX_FILE_BYTES


@strawberry.input(description="A spreadsheet to import.")
class StartImportInput:
    file: Upload = strawberry.field(description="The .xlsx or .csv file (multipart upload).")
    channel: Channel = strawberry.field(description="Where the list came from.")


@strawberry.type(description="The result of startImport.")
class StartImportPayload:
    job: ImportJob | None = strawberry.field(description="The queued import; poll it for progress.")
    errors: list[UserError] = strawberry.field(description="What is wrong with the file; empty on success.")


async def start_import(info: Info, input: StartImportInput) -> StartImportPayload:
    upload = input.file
    data = await upload.read(MAX_FILE_BYTES + 1)
    try:
        job = await imports.create_import(info.context.principal, upload.filename or "upload", input.channel, data)
    except USER_ERRORS as exc:
        return StartImportPayload(job=None, errors=to_user_errors(exc))
    await imports.notify_worker(job)
    return StartImportPayload(job=ImportJob.from_model(job), errors=[])


field = strawberry.mutation(
    resolver=start_import, permission_classes=[CanIngest],
    description="Upload an .xlsx or .csv customer list; it is checked now and imported by a worker.",
)
