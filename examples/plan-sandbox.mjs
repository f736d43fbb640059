// Plans the campaignctl project in the current folder against its embedded sandbox; prints the summary.
import { loadProject, openContext, plan } from 'campaignctl';

const project = await loadProject({ env: 'sandbox' });
const opened = project.diagnostics.some((d) => d.severity === 'error') ? { ok: false, diagnostics: project.diagnostics } : await openContext(project);
if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
try {
  const result = await plan(opened.value);
  console.log(result.kind === 'planned' ? result.outcome.plan.summary.text : `refused (${result.refused})`);
} finally {
  await opened.value.close();
}
