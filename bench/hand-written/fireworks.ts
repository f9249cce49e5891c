/**
 * The floor: the fireworks pack written by hand as a developer would, two-valued (a missing fact
 * simply fails its comparison), no validation, no explanation. Nothing can be faster than this
 * and still decide the same clauses.
 */
type F = Record<string, any>;

export function fireworksByHand(f: F): { level: 'major' | 'general'; matches: string[] } {
  const m: string[] = [];
  if (f.principal_assessment_passed === false || f.safety_managers_assessment_passed < f.safety_managers_total) m.push('FW2017-01');
  if (f.special_operation_workers_without_valid_certificate > 0 || (f.maintenance_job_observed === true && f.equipment_cleaned_of_composition_before_maintenance === false)) m.push('FW2017-02');
  if (f.worker_owned_tools_or_machines_used_in_composition_work === true) m.push('FW2017-03');
  if (f.actual_persons_present > f.approved_max_persons) m.push('FW2017-04');
  if (f.actual_retained_or_stored_kg > f.approved_max_explosive_mass_kg) m.push('FW2017-05');
  if (
    f.internal_safety_distance_m < f.required_internal_distance_m ||
    f.external_safety_distance_m < f.required_external_distance_m ||
    (f.protective_barrier_required === true && (f.protective_barrier_present === false || f.protective_barrier_compliant === false))
  )
    m.push('FW2017-06');
  if (
    f.antistatic_present === false ||
    f.antistatic_effective === false ||
    f.fire_prevention_present === false ||
    f.fire_prevention_effective === false ||
    f.lightning_protection_present === false ||
    f.lightning_protection_effective === false
  )
    m.push('FW2017-07');
  if ((f.building_use_changed === true && f.use_change_authorised === false) || f.unauthorised_structures_present === true) m.push('FW2017-08');
  if (f.perimeter_wall_complete === false || f.zoning_compliant === false) m.push('FW2017-09');
  if (f.oxidizer_and_reducer_same_store === true || f.unauthorised_premixing === true || f.oxidizer_and_reducer_ground_or_weighed_same_workshop === true) m.push('FW2017-10');
  if (f.machine_in_use === true && f.machine_involves_composition === true && (f.safety_demonstration_passed === false || f.modified_or_repurposed_without_approval === true)) m.push('FW2017-11');
  if (f.storage_matches_design_capacity === false) m.push('FW2017-12');
  if (f.all_staff_responsibility_system_matches_positions === false || f.hazard_investigation_system_formulated === false || f.hazard_investigation_system_implemented === false) m.push('FW2017-13');
  if (Array.isArray(f.licence_misuse) && f.licence_misuse.length > 0) m.push('FW2017-14');
  if (f.products_outside_licensed_categories === true || f.products_outside_licensed_hazard_classes === true || f.prohibited_composition_used === true) m.push('FW2017-15');
  if (Array.isArray(f.subcontracted_assets) && f.subcontracted_assets.length > 0) m.push('FW2017-16');
  if ((f.sites_operated_under_one_licence > 1 && f.sites_operated_independently === true) || f.shareholders_operating_independently === true) m.push('FW2017-17');
  if (
    f.production_or_sales_activity_observed === true &&
    (f.licence_valid_on_date === false || f.rectification_or_renovation_stop_in_effect === true || f.severe_weather_stop_in_effect === true || f.other_stop_order_in_effect === true)
  )
    m.push('FW2017-18');
  if (f.non_fireworks_dangerous_goods_in_fireworks_store === true || f.prohibited_or_over_standard_products_handled === true) m.push('FW2017-19');
  if (f.retail_point_same_building_as_residence === true || f.open_flame_used_in_retail_premises === true) m.push('FW2017-20');
  return { level: m.length > 0 ? 'major' : 'general', matches: m };
}
