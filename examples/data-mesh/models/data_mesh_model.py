from codeable_models import CClass, add_links
from metamodels.guidance_metamodel import (
    add_decision_option_link,
    add_stereotyped_link_with_how_tagged_value,
    can_use,
    decision,
    force,
    negative,
    optional_next,
    pattern,
    positive,
    practice,
    single_answer,
    very_positive,
)


def add_force_relations(force_relations_definition):
    for option in force_relations_definition.keys():
        for force_ in force_relations_definition[option]:
            stereotype = (force_relations_definition[option])[force_]
            add_links({option: force_}, role_name="forces", stereotype_instances=stereotype)


# decisions
data_access_decision = CClass(decision, "How to Access Data Products?", stereotype_instances=single_answer)
pipeline_execution_decision = CClass(decision, "How to Run Data Pipelines?")
platform_provisioning_decision = CClass(decision, "How to Provision Platform Infrastructure?")

# options
rest_apis = CClass(pattern, "REST APIs")
event_streaming = CClass(pattern, "Event Streaming")
triggering = CClass(practice, "Triggering on Demand")
containerisation = CClass(practice, "Containerisation")
infrastructure_as_code = CClass(practice, "Infrastructure as Code")

# forces
time_to_market = CClass(force, "Time to Market")
operational_complexity = CClass(force, "Operational Complexity")
on_demand = CClass(force, "On-Demand")
latency = CClass(force, "Latency")

add_decision_option_link(data_access_decision, rest_apis, "Pull through REST APIs")
add_decision_option_link(data_access_decision, event_streaming, option_name="Subscribe to Event Streams")
add_decision_option_link(pipeline_execution_decision, triggering, "Trigger Pipelines on Demand")
add_decision_option_link(pipeline_execution_decision, containerisation, "Run Pipelines in Containers")
add_decision_option_link(platform_provisioning_decision, infrastructure_as_code, "Infrastructure as Code")

add_force_relations({
    rest_apis: {time_to_market: positive},
    event_streaming: {time_to_market: positive, operational_complexity: negative},
    triggering: {on_demand: positive, time_to_market: positive, latency: negative},
    containerisation: {time_to_market: very_positive},
    infrastructure_as_code: {operational_complexity: positive},
})

streaming_uses_containers = event_streaming.add_links(containerisation, role_name="from",
                                                      stereotype_instances=can_use)[0]
iac_provisions_containers = add_stereotyped_link_with_how_tagged_value(
    infrastructure_as_code, containerisation, can_use, "provisions the container platform")
add_links({containerisation: pipeline_execution_decision}, role_name="next decision",
          stereotype_instances=optional_next)
