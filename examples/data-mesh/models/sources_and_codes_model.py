from codeable_models import CClass, add_links
from data_mesh_model import *
from metamodels.GT_coding import reference, source

data_mesh_book = CClass(reference, "Data Mesh Book", values={
    "bibliographic reference": "Dehghani, Zhamak: Data Mesh. " + "O'Reilly Media, 2022",
    "author type": "Practitioner",
    "type": "Practitioner Book"})

s1 = CClass(source, "s1", values={
    "title": "Event-Driven Data Products in Practice",
    "url": "https://example.org/blog/event-driven-data-products",
    "archive url": "https://archive.example.org/event-driven-data-products",
    "tiny url": "https://tinyurl.com/gtkg-example-s1",
    "author type": "Practitioner",
    "type": "Practitioner Audience Article",
    "example": True,
    "source code": False})
s2 = CClass(source, "s2", values={
    "title": "Serverless Pipelines for the " + "Data Mesh",
    "url": "https://example.org/talks/serverless-pipelines",
    "tiny url": "https://tinyurl.com/gtkg-example-s2",
    "author type": "Practitioner",
    "type": "Slides",
    "example": True,
    "source code": True})
s3 = CClass(source, "s3", values={
    "title": "Self-Serve Platform Guide",
    "url": "https://example.org/docs/platform-guide",
    "archive url": "https://archive.example.org/platform-guide",
    "tiny url": "https://tinyurl.com/gtkg-example-s3",
    "author type": "Practitioner",
    "type": "Tool Documentation",
    "example": False,
    "source code": False})

s1_codes = [rest_apis, event_streaming, containerisation, time_to_market, operational_complexity,
            data_access_decision]
add_links({s1: s1_codes}, role_name="contained_code")
add_links({s2: [triggering, on_demand, time_to_market, latency, pipeline_execution_decision]},
          role_name="contained_code")
add_links({s3: [infrastructure_as_code, containerisation, platform_provisioning_decision]},
          role_name="contained_code")
add_links({s3: data_mesh_book}, role_name="referenced")
